package io.lac4j.engine;

import io.lac4j.ConfigNames;
import java.util.Locale;

/**
 * Which native kernels compute convolutions. libtorch sends float32 convolutions to its bundled
 * oneDNN (v3.7.1 in libtorch 2.7.1), whose JIT kernels are chosen by the CPU's instruction set;
 * the alternatives are oneDNN capped at a lower instruction set, or libtorch's own ATen kernels
 * (im2col + GEMM) with oneDNN switched off. Linear layers, pooling and batch norm run on ATen in
 * every choice.
 *
 * <p>Why a choice exists at all: oneDNN 3.7.1's AVX2/AVX-512 convolution paths compute wrong,
 * run-to-run different results on AMD CPUs whose hypervisor zeroes the cache-topology CPUID leaf
 * (docs/engine.md). {@link #AUTO} starts on oneDNN — capped at SSE4.1 on such CPUs ({@link AutoKernels})
 * — and falls back to {@link #ATEN} when the engine self-check fails.
 */
public enum KernelChoice {
    /** {@link AutoKernels}' start (oneDNN, capped where it is known to fail); ATen when the self-check fails. The default. */
    AUTO("auto", null, true),
    /** oneDNN at the CPU's best instruction set, no fallback. */
    ONEDNN("onednn", null, true),
    /** oneDNN capped at AVX2 (ONEDNN_MAX_CPU_ISA=AVX2). */
    ONEDNN_AVX2("onednn-avx2", "AVX2", true),
    /** oneDNN capped at AVX (its GEMM-based convolutions). */
    ONEDNN_AVX("onednn-avx", "AVX", true),
    /** oneDNN capped at SSE4.1. */
    ONEDNN_SSE41("onednn-sse41", "SSE41", true),
    /** oneDNN off: libtorch's ATen convolution kernels. */
    ATEN("aten", null, false);

    /** System property that selects the choice; the environment variable {@link #ENV} is read when it is unset. */
    public static final String PROPERTY = "lac4j.kernels";
    public static final String ENV = "LAC4J_KERNELS";

    private final String configName;
    private final String isaCap;
    private final boolean onednn;

    KernelChoice(String configName, String isaCap, boolean onednn) {
        this.configName = configName;
        this.isaCap = isaCap;
        this.onednn = onednn;
    }

    public String configName() {
        return configName;
    }

    /** The ONEDNN_MAX_CPU_ISA value this choice sets before libtorch loads, or null for none. */
    public String isaCap() {
        return isaCap;
    }

    /** Whether convolutions go to oneDNN. */
    public boolean usesOnednn() {
        return onednn;
    }

    /** The choice called {@code name} (case and surrounding blanks ignored); {@code source} names where it came from. */
    public static KernelChoice parse(String name, String source) {
        return ConfigNames.lookup(values(), KernelChoice::configName, name.trim().toLowerCase(Locale.ROOT), source);
    }

    /** The choice asked for by {@code -Dlac4j.kernels} or {@code LAC4J_KERNELS}; {@link #AUTO} when neither is set. */
    public static KernelChoice configured() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return parse(p, "-D" + PROPERTY);
        }
        String e = System.getenv(ENV);
        if (e != null && !e.isBlank()) {
            return parse(e, ENV);
        }
        return AUTO;
    }
}
