package io.lac4j.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What computed a run: libtorch and oneDNN versions, which convolution kernels are in use (and
 * why, when the self-check forced a fallback), the oneDNN instruction set, ATen's CPU capability,
 * threads, the CPU, and the self-check's result. Printed by {@code lac4j doctor}, recorded in
 * every results.json under {@code provenance.engine}.
 *
 * @param kernels the kernel choice in use (a {@link KernelChoice} config name)
 * @param requested the choice asked for ({@code auto} unless set)
 * @param reason why these kernels: auto's rule, or "asked for"
 * @param fallback why {@code auto} left oneDNN, or null
 * @param onednnIsaCap ONEDNN_MAX_CPU_ISA in force, or null for none
 * @param onednnIsa the instruction set oneDNN's kernels use: the CPU's best, lowered by the cap
 *     (derived from /proc/cpuinfo flags and oneDNN's ISA order); "off" when oneDNN is switched off
 */
public record EngineFacts(
        String torchVersion,
        String onednnVersion,
        String kernels,
        String requested,
        String reason,
        String fallback,
        String onednnIsaCap,
        String onednnIsa,
        String atenCpuCapability,
        int intraOpThreads,
        String cpu,
        String selfCheck) {

    /** oneDNN's x86-64 ISA levels from lowest to highest, with the /proc/cpuinfo flags each needs. */
    private static final List<Map.Entry<String, List<String>>> ISA_LEVELS = List.of(
            Map.entry("SSE41", List.of("sse4_1")),
            Map.entry("AVX", List.of("avx")),
            Map.entry("AVX2", List.of("avx2", "fma")),
            Map.entry("AVX2_VNNI", List.of("avx2", "avx_vnni")),
            Map.entry("AVX512_CORE", List.of("avx512f", "avx512bw", "avx512vl", "avx512dq")),
            Map.entry("AVX512_CORE_VNNI", List.of("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni")),
            Map.entry("AVX512_CORE_BF16", List.of("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16")),
            Map.entry("AVX512_CORE_AMX", List.of("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16",
                    "amx_tile", "amx_bf16", "amx_int8")));

    /** Snake-case map for results.json provenance. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("torch_version", torchVersion);
        m.put("onednn_version", onednnVersion);
        m.put("kernels", kernels);
        m.put("requested", requested);
        m.put("reason", reason);
        if (fallback != null) {
            m.put("fallback", fallback);
        }
        m.put("onednn_isa_cap", onednnIsaCap == null ? "none" : onednnIsaCap);
        m.put("onednn_isa", onednnIsa);
        m.put("aten_cpu_capability", atenCpuCapability);
        m.put("intra_op_threads", intraOpThreads);
        m.put("cpu", cpu);
        m.put("self_check", selfCheck);
        return m;
    }

    /** oneDNN's version from at::show_config() ("MKL-DNN v3.7.1 (Git Hash …)"), or "unknown". */
    static String onednnVersion(Optional<String> config) {
        return config.map(c -> find(c, "(?:MKL-DNN|oneDNN)[^\\n]*?v(\\d+\\.\\d+(?:\\.\\d+)?)")).orElse("unknown");
    }

    /** ATen's CPU capability from at::show_config() ("CPU capability usage: AVX512"), or "unknown". */
    static String atenCapability(Optional<String> config) {
        return config.map(c -> find(c, "CPU capability usage: *(\\S+)")).orElse("unknown");
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "unknown";
    }

    /** The ISA oneDNN dispatches to: the highest level the CPU's flags allow, not above {@code cap}. */
    static String effectiveIsa(Set<String> flags, String cap) {
        String best = "unknown";
        for (Map.Entry<String, List<String>> level : ISA_LEVELS) {
            if (!flags.containsAll(level.getValue())) {
                break;
            }
            best = level.getKey();
            if (level.getKey().equalsIgnoreCase(cap == null ? "" : cap)) {
                break;
            }
        }
        return best;
    }

    /** /proc/cpuinfo's first "flags" line as a set; empty where it cannot be read. */
    static Set<String> cpuFlags() {
        return Set.of(cpuinfo("flags").orElse("").split("\\s+"));
    }

    /** /proc/cpuinfo's vendor_id ("GenuineIntel", "AuthenticAMD"), or "" where unknown. */
    static String cpuVendor() {
        return cpuinfo("vendor_id").orElse("");
    }

    /** "vendor model name" of the first CPU. */
    static String cpuName() {
        String vendor = cpuinfo("vendor_id").orElse("");
        String model = cpuinfo("model name").orElse(System.getProperty("os.arch"));
        return (vendor + " " + model).trim() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    private static Optional<String> cpuinfo(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(key)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
