/**
 * PyTorch-exact optimizers ({@link io.lac4j.optim.Adam}, {@link io.lac4j.optim.Sgd}) over fixed
 * parameter lists, shared by LAC's reconstruction and attack training; each step zeroes the
 * gradients because DJL's PyTorch collector accumulates them.
 *
 * <p>May depend on: engine, DJL.
 */
package io.lac4j.optim;
