/**
 * The library API a Java user embeds: {@link io.lac4j.pipeline.Pipeline} composes loading, data,
 * quantization, evaluation and purification; {@code defend} runs one defense and {@code compare} all
 * of them under one protocol ({@link io.lac4j.pipeline.Defense}); each entry point takes request records and returns
 * result records (the same {@code results.json} document the CLI writes). The result records live
 * here ({@link io.lac4j.pipeline.ResultDocument}, {@link io.lac4j.pipeline.RunProvenance},
 * {@code DriftDocument}, {@code ComparisonDocument}, {@code ComparisonRow}); {@code report} renders
 * them. No printing, no exits; progress goes through {@link io.lac4j.engine.Progress}.
 *
 * <p>May depend on: ptq, defense, attack, quant, models, data, eval, io, engine — not report or cli.
 */
package io.lac4j.pipeline;
