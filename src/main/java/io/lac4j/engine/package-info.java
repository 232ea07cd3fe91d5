/**
 * Starts DJL's PyTorch engine offline with fixed threads and seed; the only caller of DJL's
 * {@code Engine}. Entry point: {@link io.lac4j.engine.Engines}.
 *
 * <p>May depend on: DJL. Never reads data files or prints.
 */
package io.lac4j.engine;
