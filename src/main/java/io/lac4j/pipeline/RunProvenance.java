package io.lac4j.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lac4j.engine.EngineFacts;
import io.lac4j.engine.Engines;
import io.lac4j.io.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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

    /**
     * Provenance of a run that started at {@code startedAt}: versions, the engine that computed it
     * (with its real intra-op thread count), and {@code request} — the run's request record —
     * as its configuration.
     */
    public static RunProvenance current(Instant startedAt, long seed, Object request) {
        String v = RunProvenance.class.getPackage().getImplementationVersion();
        String djl = ai.djl.engine.Engine.class.getPackage().getImplementationVersion();
        Optional<EngineFacts> engine = Engines.lastFacts();
        return new RunProvenance(
                v == null ? "dev" : v,
                djl == null ? "0.36.0" : djl,
                Engines.torchVersion(),
                System.getProperty("java.version"),
                System.getProperty("os.name") + "/" + System.getProperty("os.arch"),
                engine.map(EngineFacts::intraOpThreads).filter(t -> t > 0)
                        .orElse(Runtime.getRuntime().availableProcessors()),
                seed,
                startedAt.toString(),
                config(request),
                engine.map(EngineFacts::asMap).orElse(null));
    }

    /** The request as a JSON-shaped map; a request Jackson cannot walk is kept as its text. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Object request) {
        if (request == null) {
            return Map.of();
        }
        try {
            return Json.mapper().convertValue(request, Map.class);
        } catch (IllegalArgumentException e) {
            return Map.of("request", String.valueOf(request));
        }
    }
}
