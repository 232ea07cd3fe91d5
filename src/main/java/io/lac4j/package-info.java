/**
 * lac4j: find and purify quantization-conditioned backdoors (LAC + PDA) with DJL's PyTorch engine.
 *
 * <p>Only the shared error vocabulary lives here: {@link io.lac4j.InputException} (bad input, exit
 * 2) and {@link io.lac4j.Lac4jException} (failed run, exit 1). The pipeline runs cli -> pipeline
 * -> io/models -> data -> quant -> eval -> ptq -> eval -> report.
 */
package io.lac4j;
