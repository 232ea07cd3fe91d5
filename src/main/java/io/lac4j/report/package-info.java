/**
 * Turns result records into files: {@code results.json} ({@link io.lac4j.report.ResultDocument},
 * schema {@code lac4j.results/1}, JSON Schema in {@code io/lac4j/report/results.schema.json}),
 * {@code report.md} ({@link io.lac4j.report.MarkdownReport}) and a self-contained {@code
 * report.html} ({@link io.lac4j.report.HtmlReport}, XChart PNGs as data URIs, {@link
 * io.lac4j.report.Charts}). Entry point: {@link io.lac4j.report.ReportWriter#writeAll} with a
 * {@link io.lac4j.report.ReportInput}. All writes go through a temporary file and an atomic move.
 *
 * <p>May depend on: eval, engine. Holds the result document so that {@code pipeline} returns
 * exactly what the CLI writes. Never computes metrics.
 */
package io.lac4j.report;
