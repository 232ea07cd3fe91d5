/**
 * Clean accuracy and backdoor metrics (CDA, ASR, ASR-no-target, top-5, DER) of a model on a
 * dataset, as records of plain numbers. Entry points: {@link io.lac4j.eval.BackdoorEvaluator},
 * {@link io.lac4j.eval.PhaseMetrics}, {@link io.lac4j.eval.Der}; the drift diagnostic (FP vs quantized
 * activations per layer, clean and triggered) is {@link io.lac4j.eval.ActivationDrift} with its
 * heuristic reading {@link io.lac4j.eval.DriftVerdict}.
 *
 * <p>Mirrors the reference's {@code utils/evaluate.py} (LAC.md §10). May depend on: nn, data,
 * engine. Never prints.
 */
package io.lac4j.eval;
