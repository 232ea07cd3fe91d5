package io.lac4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.lac4j.io.Json;
import io.lac4j.pipeline.ResultDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

class ResultFileTest {
    @Test
    void writesTheContractKeysAndReadsBack(@TempDir Path dir) throws Exception {
        Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
        phases.put("fp", new ResultDocument.Phase(91.2, 2.1, 1.3, 99.6, 10000, null));
        phases.put("naive_ptq", new ResultDocument.Phase(90.0, 98.0, 97.9, 99.0, 10000, 1.5));
        ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, "evaluate",
                new ResultDocument.ModelInfo("m.pth", "ab", "resnet18-cifar", null, null),
                new ResultDocument.DataInfo("fmnist", null, "stage2", 0, 10000L, 10000L, 9000L),
                null, null, phases, null, null, null, null);
        Path out = dir.resolve("sub/results.json");
        ResultFile.write(doc, out);
        JsonNode json = Json.mapper().readTree(out.toFile());
        assertThat(json.get("schema").asText()).isEqualTo("lac4j.results/1");
        JsonNode fp = json.get("phases").get("fp");
        assertThat(fp.get("cda").asDouble()).isEqualTo(91.2);
        assertThat(fp.get("asr_no_target").asDouble()).isEqualTo(1.3);
        assertThat(fp.get("top5").asDouble()).isEqualTo(99.6);
        assertThat(fp.get("n").asLong()).isEqualTo(10000);
        assertThat(json.get("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq");
        assertThat(json.get("data").get("n_no_target").asLong()).isEqualTo(9000);
        assertThat(ResultFile.read(out)).isEqualTo(doc);
        try (var files = Files.list(out.getParent())) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("results.json");
        }
    }
}
