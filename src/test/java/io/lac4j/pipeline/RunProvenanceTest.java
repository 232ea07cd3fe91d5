package io.lac4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lac4j.engine.Engines;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunProvenanceTest {
    record Knobs(int maxCount, String method) {}

    /** Not a bean Jackson can walk: kept as its text rather than failing the run at its end. */
    static final class Opaque {
        private final int hidden = 3;

        @Override
        public String toString() {
            return "opaque " + hidden;
        }
    }

    @Test
    void recordsTheRealStartThreadsEngineAndRequest() {
        Instant start = Instant.parse("2026-12-03T17:14:11Z");
        RunProvenance p = RunProvenance.current(start, 7, new Knobs(2000, "lac"));
        assertThat(p.startedAt()).isEqualTo("2026-12-03T17:14:11Z");
        assertThat(p.threads()).isEqualTo(Engines.facts().intraOpThreads());
        assertThat(p.config()).isEqualTo(Map.of("max_count", 2000, "method", "lac"));
        assertThat(p.engine()).containsEntry("kernels", Engines.facts().kernels());
        assertThat(p.seed()).isEqualTo(7);
        assertThat(RunProvenance.current(start, 7, new Opaque()).config()).isEqualTo(Map.of("request", "opaque 3"));
    }
}
