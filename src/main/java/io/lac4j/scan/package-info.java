/**
 * Trigger-free detection of quantization-conditioned backdoors: given an FP model, its quantized
 * deployment and a few clean images (no labels, no trigger), {@link io.lac4j.scan.Scanner} inverts, per
 * candidate target class, a small mask-and-pattern that flips the <em>quantized</em> model to the class
 * while the FP model keeps its prediction (differential trigger inversion through the fake quantizers'
 * straight-through gradients), inverts the same against the FP model alone (a plain FP backdoor), and
 * turns the flip rates into per-class anomaly indices and a {@link io.lac4j.scan.ScanVerdict}. Defenses use
 * the same search without a verdict: every class's pattern (lac-inv stamps them all) or the strongest one,
 * with the runner-up when it scores close, refined, and refined again after the defense changed the
 * quantized model (qad).
 *
 * <p>Models enter as functions from a normalised batch to logits, so the package does not care
 * whether a model is a {@code Graph}, a {@code QuantizedModel} or something else. May depend on: quant,
 * nn, data, eval, optim, engine. Never prints or reads files.
 */
package io.lac4j.scan;
