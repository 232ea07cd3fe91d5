package io.lac4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lac4j.io.Json;
import io.lac4j.pipeline.DriftDocument;
import io.lac4j.pipeline.ResultDocument;
import io.lac4j.pipeline.RunProvenance;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.assertj.core.api.Assertions.assertThat;

/** results.json documents — built here, written by the pipeline — validate; broken ones do not. */
class ResultSchemaTest {
    /** A purify-shaped document with every field set. */
    static ResultDocument full() {
        Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
        phases.put("fp", new ResultDocument.Phase(93.6, 10.2, 8.5, 99.8, 10000, 20.1));
        phases.put("naive_ptq", new ResultDocument.Phase(93.1, 99.9, 99.98, 99.7, 10000, 21.0));
        phases.put("purified", new ResultDocument.Phase(93.0, 64.0, 64.1, 99.7, 10000, 20.5));
        return new ResultDocument(ResultDocument.SCHEMA, "purify",
                new ResultDocument.ModelInfo("qcb.pth", "a".repeat(64), "resnet18-cifar(in_channels=1, num_classes=10, width=16)",
                        "resnet18-cifar (keys …)", "loaded all 122 tensors"),
                new ResultDocument.DataInfo("fashion-mnist", "fmnist", "stage2", 0, 10000L, 10000L, 9000L),
                Map.of("scheme", "academic-w4a4", "io_8bit", true),
                "lac+pda", phases, 67.9, Map.of("reconstruction", 23.0, "pda", 1108.0),
                Map.of("max_count", 2000), RunProvenance.current(java.time.Instant.parse("2026-12-03T17:00:00Z"), 1005, Map.of("pda", true)));
    }

    @Test
    void aDocumentBuiltFromTheRecordsIsValid() {
        assertThat(ResultSchema.validate(full())).isEmpty();
    }

    @Test
    void aMinimalFpOnlyDocumentIsValid() {
        ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, "evaluate", null,
                new ResultDocument.DataInfo("fashion-mnist", null, null, null, 10000L, null, null), null, null,
                Map.of("fp", new ResultDocument.Phase(86.4, null, null, 99.7, 10000, null)), null, null, null, null);
        assertThat(ResultSchema.validate(doc)).isEmpty();
    }

    /** Written by {@code ./lac4j quantize --checkpoint src/test/resources/golden/fmnist/resnet18_cifar_w8.pth --trigger stage2 --json …}. */
    @Test
    void aFileWrittenByTheQuantizeCommandIsValidAndReadsBack() throws Exception {
        Path file = Path.of(ResultSchemaTest.class.getResource("quantize-fmnist-w4a4.results.json").toURI());
        assertThat(ResultSchema.validate(file)).isEmpty();
        ResultDocument doc = ResultFile.read(file);
        assertThat(doc.phases()).containsOnlyKeys("fp", "naive_ptq");
        assertThat(ResultSchema.validate(doc)).isEmpty();
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("cda above 100", (Consumer<ObjectNode>) j -> phase(j, "fp").put("cda", 120.0), "maximum"),
                Arguments.of("negative asr", (Consumer<ObjectNode>) j -> phase(j, "naive_ptq").put("asr", -1.0), "minimum"),
                Arguments.of("asr as text", (Consumer<ObjectNode>) j -> phase(j, "purified").put("asr", "64%"), "string"),
                Arguments.of("phase without n", (Consumer<ObjectNode>) j -> phase(j, "fp").remove("n"), "n"),
                Arguments.of("no schema field", (Consumer<ObjectNode>) j -> j.remove("schema"), "schema"),
                Arguments.of("another schema version", (Consumer<ObjectNode>) j -> j.put("schema", "lac4j.results/2"), "lac4j.results/1"),
                Arguments.of("unknown top-level key", (Consumer<ObjectNode>) j -> j.put("cda", 93.0), "cda"),
                Arguments.of("camelCase key", (Consumer<ObjectNode>) j -> phase(j, "fp").put("asrNoTarget", 1.0), "asrNoTarget"),
                Arguments.of("bad phase name", (Consumer<ObjectNode>) j -> ((ObjectNode) j.get("phases")).set("Naive PTQ", phase(j, "fp")), "Naive PTQ"),
                Arguments.of("der above 100", (Consumer<ObjectNode>) j -> j.put("der", 130.0), "maximum"),
                Arguments.of("short sha256", (Consumer<ObjectNode>) j -> ((ObjectNode) j.get("model")).put("sha256", "abc"), "pattern"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void aBrokenDocumentFails(String what, Consumer<ObjectNode> breakIt, String mentioned) {
        ObjectNode json = Json.mapper().valueToTree(full());
        assertThat(ResultSchema.validate(json)).isEmpty();
        breakIt.accept(json);
        List<String> errors = ResultSchema.validate(json);
        assertThat(errors).as(what).isNotEmpty();
        assertThat(String.join("\n", errors)).as(what).contains(mentioned);
    }

    @Test
    void driftDocumentsWithAndWithoutTriggerValidateAndANegativeDriftFails() {
        var r = new java.util.SplittableRandom(1);
        io.lac4j.eval.DriftProfile trig = ReportSamples.profile("naive_ptq", 1.0, r);
        io.lac4j.eval.DriftProfile clean = new io.lac4j.eval.DriftProfile("naive_ptq", 64, trig.layers().stream()
                .map(l -> new io.lac4j.eval.LayerDrift(l.layer(), l.quantNode(), l.bits(), l.clean(), null)).toList());
        for (io.lac4j.eval.DriftProfile p : List.of(trig, clean)) {
            DriftDocument d = new DriftDocument(DriftDocument.SCHEMA, "inspect-drift", null, null, null, List.of(p),
                    io.lac4j.eval.DriftVerdict.of(p), Map.of("drift", 1.0), null);
            ObjectNode json = Json.mapper().valueToTree(d);
            assertThat(ResultSchema.validateDrift(json)).as(p.hasTriggered() ? "triggered" : "clean only").isEmpty();
            ((ObjectNode) json.get("profiles").get(0).get("layers").get(3)).put("clean", -0.1);
            assertThat(ResultSchema.validateDrift(json)).isNotEmpty();
        }
    }

    private static ObjectNode phase(JsonNode doc, String name) {
        return (ObjectNode) doc.get("phases").get(name);
    }
}
