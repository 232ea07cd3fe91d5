/**
 * Unit-by-unit reconstruction (LAC): {@link io.lac4j.ptq.UnitExtractor} cuts units,
 * {@link io.lac4j.ptq.ActivationCache} caches inputs/targets incrementally, {@link io.lac4j.ptq.Pda}
 * corrects cached inputs, {@link io.lac4j.ptq.UnitReconstruction} optimises and hardens; the loop
 * is {@link io.lac4j.ptq.LacReconstruction}. What differs between LAC, EFRAP and plain AdaRound is a
 * {@link io.lac4j.ptq.WeightRounding} strategy (rounding variables, loss penalty, hardening):
 * LAC's additive offset, or {@link io.lac4j.ptq.EfrapRounding} (ATTACKS.md §4). Mirrors MQBench's {@code advanced_ptq.py} as forked by
 * the LAC authors (LAC.md §8–9).
 *
 * <p>May depend on: quant, nn, data, engine. Never reads files, never prints.
 */
package io.lac4j.ptq;
