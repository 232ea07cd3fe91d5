package io.lac4j.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link KernelChoice#AUTO} starts with, decided before libtorch loads (oneDNN's ISA cap can
 * only be set then). The self-check still judges the result, and a failure falls back to ATen.
 *
 * <p>The rule comes from the fault it avoids: oneDNN 3.7.1 (bundled with libtorch 2.7.1) sizes
 * its AVX/AVX2/AVX-512 kernels from the CPU's cache sizes, which on AMD it reads from CPUID leaf
 * 0x8000001D without checking that the leaf is filled. Hypervisors that hide that leaf make it see
 * one-byte caches, and convolutions then come out wrong and different from run to run. Linux reads
 * the same leaf for its cache topology, so an AMD CPU with no {@code /sys/devices/system/cpu/cpu0/cache}
 * is the signature. There lac4j caps oneDNN at SSE4.1 — on such a machine the fastest of the
 * choices that pass (docs/engine.md has the measurements); everywhere else it keeps oneDNN's best.
 */
final class AutoKernels {
    static final Path CPU0_CACHE = Path.of("/sys/devices/system/cpu/cpu0/cache");

    /** The choice to start with and why. */
    record Plan(KernelChoice kernels, String reason) {}

    private AutoKernels() {}

    static Plan plan(String vendor, boolean cacheTopologyVisible, Optional<String> userIsaCap) {
        if (userIsaCap.isPresent()) {
            return new Plan(KernelChoice.ONEDNN, "ONEDNN_MAX_CPU_ISA=" + userIsaCap.get() + " set in the environment");
        }
        boolean amd = vendor.equals("AuthenticAMD") || vendor.equals("HygonGenuine");
        if (amd && !cacheTopologyVisible) {
            return new Plan(KernelChoice.ONEDNN_SSE41,
                    "AMD CPU without cache topology (CPUID 0x8000001D hidden): oneDNN 3.7.1's AVX kernels mis-size there");
        }
        return new Plan(KernelChoice.ONEDNN, "oneDNN at the CPU's best instruction set");
    }

    /** The plan for this machine. */
    static Plan forThisMachine() {
        return plan(EngineFacts.cpuVendor(), Files.isDirectory(CPU0_CACHE.resolve("index0")),
                NativeTorch.getenv("ONEDNN_MAX_CPU_ISA").filter(s -> !s.isBlank()));
    }
}
