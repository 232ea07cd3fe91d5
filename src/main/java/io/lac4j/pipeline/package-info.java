/**
 * The run skeleton and the library API a Java user embeds. {@link io.lac4j.pipeline.Pipeline} is the
 * front door; every evaluating command is a configuration of one skeleton, {@code DefendedRun}:
 * load model and data ({@code Loading}) → FP baseline → deployment quantization (calibrate) →
 * naive baseline → each {@link io.lac4j.defense.Defense} → evaluate (and, asked, again with the activation ranges
 * scaled: {@code RangeSweep}; and the exported checkpoint quantized again: {@code Requantization}) → one outcome,
 * with baseline
 * reuse ({@code BaselineMemo}), resumable reconstruction state ({@code ResumeState}) and progress in
 * that one place. The configurations: {@code evaluate} and {@code quantize} ({@code Pipeline}),
 * {@code purify} ({@code Purifying}), {@code defend} ({@code Defending}), {@code compare}
 * ({@code Comparison}), {@code demo} ({@link io.lac4j.pipeline.Demo}) and {@code inspect-drift}
 * ({@link io.lac4j.pipeline.Drift}). Training runs ({@code Training}) write attack checkpoints.
 * Each entry point takes request records and returns result records; the result records live here
 * ({@link io.lac4j.pipeline.ResultDocument}, {@link io.lac4j.pipeline.RunProvenance},
 * {@code DriftDocument}, {@code ComparisonDocument}, {@code ComparisonRow}); {@code report} renders
 * them. No printing, no exits; progress goes through {@link io.lac4j.engine.Progress}.
 *
 * <p>May depend on: defense, attack, training, ptq, quant, models, data, eval, optim, nn, io, engine — not report or cli.
 */
package io.lac4j.pipeline;
