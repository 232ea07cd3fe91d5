package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.engine.Engines;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
    @Test
    void printsTheEngineFactsAndASelfCheckOkLine(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("engine.json");
        TinyCli.Run r = TinyCli.lac4j("doctor", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("(?m)^torch version: +2\\.")
                .containsPattern("(?m)^onednn version: +\\d+\\.\\d+")
                .containsPattern("(?m)^kernels: +(onednn|onednn-avx2|onednn-avx|onednn-sse41|aten)$")
                .containsPattern("(?m)^onednn isa: +\\S+")
                .containsPattern("(?m)^aten cpu capability: +\\S+")
                .containsPattern("(?m)^cpu: +.+")
                .containsPattern("(?m)^self-check: ok \\(\\d+ checks, \\d+ ms\\)$");
        JsonNode facts = new ObjectMapper().readTree(json.toFile());
        assertThat(facts.get("kernels").asText()).isEqualTo(Engines.facts().kernels());
        assertThat(facts.get("self_check").asText()).startsWith("ok");
    }

    @Test
    void rejectsAnUnknownKernelChoiceAsBadInput() {
        TinyCli.Run r = TinyCli.lac4j("doctor", "--kernels", "gpu");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("--kernels: expected one of [auto, onednn, onednn-avx2, onednn-avx, onednn-sse41, aten], got 'gpu'");
    }

    @Test
    void anUnknownOptionIsBadUsageToo() {
        // Exit codes: 0 success, 1 the run failed, 2 bad usage or input (README) — picocli's parse errors included.
        TinyCli.Run r = TinyCli.lac4j("doctor", "--no-such-option");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
    }
}
