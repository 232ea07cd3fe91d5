package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.io.Checkpoints;
import io.lac4j.report.ResultSchema;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end, tiny: {@code defend qvec} searches λ on the clean calibration images, records every
 * candidate, picks λ by its rule (the largest within 1 point of FP accuracy, else the most
 * accurate), and exports the corrected, naively quantized model; {@code compare} takes it as a row.
 */
class QVecDefenseTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void trainTinyModel() {
        model = TinyCli.trainTinyModel(dir);
    }

    @Test
    void defendRecordsTheSearchAndFollowsItsRule() throws Exception {
        Path out = dir.resolve("qvec");
        Path json = dir.resolve("qvec.json");
        TinyCli.Run r = TinyCli.lac4j("defend", "qvec", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "64",
                "--cali-batches", "2", "--bits", "4", "--threads", "1", "-q", "--output-dir", out.toString(), "--json",
                json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("defense: qvec, academic W4A4").contains("DER (naive_ptq -> qvec)");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "qvec");
        JsonNode search = doc.path("settings").path("qvec");
        JsonNode candidates = search.path("candidates");
        assertThat(candidates).hasSize(7);
        double fp = search.path("fp_calibration_accuracy").asDouble();
        double largestWithin = Double.NaN;
        double mostAccurate = Double.NaN;
        double best = -1;
        for (JsonNode c : candidates) {
            double acc = c.path("calibration_accuracy").asDouble();
            assertThat(acc).isBetween(0.0, 100.0);
            if (acc >= fp - 1.0) {
                largestWithin = c.path("lambda").asDouble();
            }
            if (acc > best) {
                best = acc;
                mostAccurate = c.path("lambda").asDouble();
            }
        }
        double expected = Double.isNaN(largestWithin) ? mostAccurate : largestWithin;
        assertThat(search.path("lambda").asDouble()).isEqualTo(expected);
        assertThat(doc.path("timings").has("qvec_search")).isTrue();
        assertThat(Checkpoints.read(out.resolve("qvec.pth")).stateDict().keys()).contains("conv1.weight", "linear.weight");
    }

    @Test
    void compareHasAQVecRow() throws Exception {
        Path out = dir.resolve("cmp");
        TinyCli.Run r = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "32",
                "--defenses", "naive,qvec", "--bits", "4", "--seeds", "1", "--cali-batches", "1", "--threads", "1", "-q",
                "--output-dir", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| qvec | 4 | 1 |");
    }
}
