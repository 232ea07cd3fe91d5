package io.lac4j.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * How a result was made: versions, machine, seed, checkpoint hash, resolved settings, and the
 * engine configuration that computed it ({@link io.lac4j.engine.EngineFacts}: kernels, oneDNN
 * version and ISA, self-check) (Tribuo-style).
 */
public record RunProvenance(
        String lac4jVersion,
        String djlVersion,
        String torchVersion,
        String javaVersion,
        String osArch,
        int threads,
        long seed,
        String startedAt,
        Map<String, Object> config,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> engine) {

    /** Provenance of the current JVM; {@code torchVersion} comes from the engine. */
    public static RunProvenance current(String torchVersion, long seed, Map<String, Object> config) {
        String v = RunProvenance.class.getPackage().getImplementationVersion();
        String djl = ai.djl.engine.Engine.class.getPackage().getImplementationVersion();
        return new RunProvenance(
                v == null ? "dev" : v,
                djl == null ? "0.36.0" : djl,
                torchVersion,
                System.getProperty("java.version"),
                System.getProperty("os.name") + "/" + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                seed,
                java.time.Instant.now().toString(),
                config,
                io.lac4j.engine.Engines.lastFacts().map(io.lac4j.engine.EngineFacts::asMap).orElse(null));
    }
}
