/**
 * Turns result records into files: {@code results.json} ({@link io.lac4j.pipeline.ResultDocument},
 * schema {@code lac4j.results/1}, JSON Schema in {@code io/lac4j/report/results.schema.json}),
 * {@code report.md} ({@link io.lac4j.report.MarkdownReport}) and a self-contained {@code
 * report.html} ({@link io.lac4j.report.HtmlReport}, XChart PNGs as data URIs, {@link
 * io.lac4j.report.Charts}). Entry point: {@link io.lac4j.report.ReportWriter#writeAll} with a
 * {@link io.lac4j.report.ReportInput}. All writes go through {@link io.lac4j.io.AtomicFile}.
 *
 * <p>May depend on: pipeline (the result records it renders: {@code ResultDocument},
 * {@code DriftDocument}, {@code ComparisonDocument}), eval, io, engine. Never computes metrics.
 */
package io.lac4j.report;

