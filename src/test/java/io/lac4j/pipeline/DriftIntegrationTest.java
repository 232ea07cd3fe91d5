package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.lac4j.cli.Lac4j;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.LayerDrift;
import io.lac4j.io.Json;
import io.lac4j.quant.Granularity;
import io.lac4j.quant.Observer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QScheme;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.quant.QuantizerKind;
import io.lac4j.report.ResultSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drift diagnostic on the Fashion-MNIST fixture model. MinMax observers and one calibration
 * batch keep it fast; the property checked (coarser grid, more drift) does not depend on them.
 */
class DriftIntegrationTest {
    private static final int IMAGES = 64;

    private static QuantConfig minMax(int bits) {
        return new QuantConfig(QScheme.asymmetric(bits, Granularity.PER_CHANNEL), QScheme.asymmetric(bits, Granularity.PER_TENSOR),
                Observer.Kind.MIN_MAX, Observer.Kind.MIN_MAX, QuantizerKind.FIXED, QuantizerKind.FIXED);
    }

    @Test
    void oneFiniteValuePerActivationQuantizerAndMoreDriftAtFourBitsThanAtEight() {
        FmnistFixture.assumeDataInstalled();
        Engines.start();
        try (NDManager run = Engines.newBaseManager();
             LoadedModel m = Pipeline.loadModel(ModelSource.of(FmnistFixture.checkpoint(), "auto"), run)) {
            LoadedData d = Pipeline.loadData(new DataSource("fmnist", null, "stage2", 0));
            CalibrationData cal = PtqStages.drawCalibration(d, CalibrationConfig.LAC.withBatches(1, 1), 1005);
            Map<Integer, DriftProfile> byBits = new HashMap<>();
            for (int bits : new int[] {4, 8}) {
                try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), minMax(bits), PrepareOptions.ACADEMIC,
                        cal.activation(), run, Progress.NONE)) {
                    DriftProfile p = Drift.profile("naive_ptq", m.graph(), qm, d.sets(), IMAGES, run, Progress.NONE);
                    assertThat(p.images()).isEqualTo(IMAGES);
                    assertThat(p.layers()).extracting(LayerDrift::quantNode)
                            .containsExactlyInAnyOrderElementsOf(qm.activationQuantizers().keySet());
                    for (LayerDrift l : p.layers()) {
                        assertThat(l.clean()).as(l.layer()).isFinite().isGreaterThanOrEqualTo(0);
                        assertThat(l.triggered()).as(l.layer()).isNotNull().isFinite().isGreaterThanOrEqualTo(0);
                        assertThat(l.quantNode()).isEqualTo(l.layer() + QuantizedModel.ACT_SUFFIX);
                    }
                    byBits.put(bits, p);
                }
            }
            DriftProfile four = byBits.get(4);
            DriftProfile eight = byBits.get(8);
            assertThat(four.meanClean()).isGreaterThan(eight.meanClean());
            assertThat(four.meanTriggered()).isGreaterThan(eight.meanTriggered());
            for (int i = 0; i < four.layers().size(); i++) {
                LayerDrift a = four.layers().get(i);
                LayerDrift b = eight.layers().get(i);
                assertThat(a.layer()).isEqualTo(b.layer());
                if (a.bits() == 4) {                        // the io rule keeps the input and the head's input at 8 bit
                    assertThat(a.clean()).as("clean drift at %s, 4 vs 8 bit", a.layer()).isGreaterThan(b.clean());
                }
            }
            assertThat(four.layers().get(0).layer()).isEqualTo("x");
            assertThat(four.layers().get(0).bits()).isEqualTo(8);
            assertThat(four.layers().get(0).clean()).isLessThan(0.01);     // 8-bit input quantization barely moves pixels
        }
    }

    @Test
    void nonPositiveImageCountIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = Lac4j.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err)).execute("inspect-drift",
                "--checkpoint", FmnistFixture.checkpoint().toString(), "--images", "0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--images: expected > 0, got 0");
    }

    @Test
    void inspectDriftCommandPrintsTheTableAndWritesJsonAndAValidReport(@TempDir Path dir) throws Exception {
        FmnistFixture.assumeDataInstalled();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path json = dir.resolve("drift.json");
        Path report = dir.resolve("report");
        int code = Lac4j.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("inspect-drift",
                "--checkpoint", FmnistFixture.checkpoint().toString(), "--scheme", "qnnpack-int8", "--cali-batches", "1",
                "--images", "32", "--trigger", "stage2", "--target", "0", "-q", "--json", json.toString(),
                "--report", report.toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("layer", "clean", "triggered", "trig/clean", "layer4.1.relu", "verdict (heuristic):");

        JsonNode drift = Json.mapper().readTree(json.toFile());
        assertThat(drift.get("schema").asText()).isEqualTo("lac4j.drift/1");
        assertThat(ResultSchema.validateDrift(drift)).isEmpty();
        JsonNode layers = drift.get("profiles").get(0).get("layers");
        assertThat(layers.size()).isGreaterThan(10);
        assertThat(layers.get(1).get("quant_node").asText()).endsWith(QuantizedModel.ACT_SUFFIX);
        assertThat(drift.get("verdict").get("level").asText()).isIn("NO_SIGNAL", "ELEVATED", "SUSPICIOUS");

        assertThat(ResultSchema.validate(report.resolve("results.json"))).isEmpty();    // a pipeline-written file
        assertThat(Files.readString(report.resolve("report.md"))).contains("## Activation drift", "| layer4.1.relu |");
        assertThat(Files.readString(report.resolve("report.html"))).contains("data:image/png;base64,");
    }
}
