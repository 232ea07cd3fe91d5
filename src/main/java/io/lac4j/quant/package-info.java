/**
 * Quantization numerics: schemes, range observers and fake quantizers on DJL {@code NDArray}s.
 * Entry points: {@link io.lac4j.quant.QScheme} (integer range), {@link io.lac4j.quant.QParams}
 * ((s, z) and the §6.3 rule), {@link io.lac4j.quant.Observer} (MinMax, EMA-MinMax, MSE, EMA-MSE),
 * {@link io.lac4j.quant.FakeQuantizer} (fixed, LAC learned offset, AdaRound, LSQ/LSQ+/QDrop,
 * Qu-ANTI-zation), {@link io.lac4j.quant.PqBackdoorQuantizer} (PQBackdoor's integer-level backend),
 * {@link io.lac4j.quant.QuantConfig} / {@link io.lac4j.quant.QuantPreset}, {@link
 * io.lac4j.quant.Deployment} (the quantizer family a model ships with: Academic, fbgemm, qnnpack) and
 * {@link io.lac4j.quant.QuantStates}; {@link io.lac4j.quant.ScaledActivationRanges} moves every activation range by
 * one factor and back (the range sweep). {@link io.lac4j.quant.FakeQuantKernel} is the bit-exact
 * {@code torch.fake_quantize_*} kernel with the STE gradient.
 *
 * <p>Mirrors MQBench ({@code ModelTC/MQBench} at {@code a57f16a}): {@code scheme.py}, {@code
 * observer.py}, {@code fake_quantize/{quantize_base,fixed,adaround_quantizer,lsq}.py}, {@code
 * utils/state.py}; the LAC fork's {@code AdaRoundFakeQuantize} (LAC.md §6.7); Qu-ANTI-zation's
 * {@code utils/quantizer.py} (ATTACKS.md §1.3); PQBackdoor's {@code pytorch/utils.py} (§3.4); PyTorch's fake-quantize kernels. Specs: LAC.md §6,
 * §11 (Q1, Q6, Q10), §12.1–12.3; ATTACKS.md §0.2, §1.3, §4.2.
 *
 * <p>Memory: the only NDArrays a quantizer keeps are trainables it was asked to create in a
 * caller-supplied manager; every other result belongs to its first input's manager (DJL D2) and
 * intermediates are freed in sub-managers. Records never hold NDArrays.
 *
 * <p>May depend on: engine, DJL, {@code io.lac4j} exceptions. Never reads files, never prints,
 * never builds graphs (graph insertion and calibration loops live above this package).
 */
package io.lac4j.quant;
