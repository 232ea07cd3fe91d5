/**
 * picocli commands, YAML/Hydra config loading, templates, progress bars and exit codes: a thin
 * shell over {@code io.lac4j.pipeline}. Entry point: {@link io.lac4j.cli.Lac4j}.
 *
 * <p>May depend on: every other package. Nothing depends on it; only this package prints or exits.
 */
package io.lac4j.cli;
