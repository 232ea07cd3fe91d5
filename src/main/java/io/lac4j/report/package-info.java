/**
 * Turns result records into files: {@code results.json} ({@link io.lac4j.report.ResultDocument},
 * schema {@code lac4j.results/1}), and later Markdown/HTML reports with charts. All writes go
 * through a temporary file and an atomic move.
 *
 * <p>May depend on: eval, engine. Holds the result document so that {@code pipeline} returns
 * exactly what the CLI writes.
 */
package io.lac4j.report;
