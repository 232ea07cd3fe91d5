/**
 * Configuration for {@code lac4j purify} as the reference's Hydra run reads it: the official YAML
 * as-is ({@link io.lac4j.cli.config.ConfigLoader}), Hydra-style overrides ({@link
 * io.lac4j.cli.config.Overrides}), the reference's templates ({@link io.lac4j.cli.config.Templates})
 * and the mapping onto the pipeline's request record ({@link io.lac4j.cli.config.PurifySettings}).
 *
 * <p>Mirrors LAC.md §2. May depend on: pipeline and the packages whose config records it fills.
 */
package io.lac4j.cli.config;
