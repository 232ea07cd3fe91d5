/**
 * Starts DJL's PyTorch engine offline with fixed threads and seed, chooses and checks the native
 * kernels before anything computes, and holds the small helpers every layer needs (seeded RNG,
 * progress callbacks, native-memory trimming). The only caller of DJL's {@code Engine}; entry point
 * {@link io.lac4j.engine.Engines}.
 *
 * <p>Kernels: {@link io.lac4j.engine.KernelChoice} (auto, oneDNN at a chosen ISA cap, or ATen),
 * {@link io.lac4j.engine.AutoKernels} (auto's start rule), {@link io.lac4j.engine.EngineSelfCheck}
 * (known answers against the plain-Java {@code ReferenceOps}), {@link io.lac4j.engine.EngineFacts}
 * (what {@code lac4j doctor} prints and results.json records). {@code NativeTorch} reaches the few
 * libtorch switches DJL does not expose (process environment, mkldnn on/off, c10 log level,
 * build config) through JNA.
 *
 * <p>May depend on: DJL, JNA, SLF4J (one warning when auto falls back to ATen). Never reads data
 * files or prints; it reads /proc/cpuinfo, /proc/self/maps and sysfs to describe the machine.
 */
package io.lac4j.engine;
