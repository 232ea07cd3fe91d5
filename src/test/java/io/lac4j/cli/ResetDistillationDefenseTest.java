package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.defense.ResetDistillation;
import io.lac4j.io.Checkpoints;
import io.lac4j.report.ResultSchema;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: on the corpus's activation-keyed QCB (awake at Academic W4A4) {@code defend qad-reset} resets the last
 * stage (timed, recorded), distils, removes the backdoor without the trigger and exports a model whose last stage is
 * new and whose earlier layers are the FP model's on the deployment's grid, not trained (the seeded reset's repeatability is
 * LastStageResetTest's, the shared distillation's QuantAwareDistillationDefenseTest's, the frozen-prefix cache's
 * FrozenPrefixCacheTest's). It runs 40 epochs, not the default 80, to halve its time: the mechanism is the same, and
 * the bounds it checks (under 5 % ASR-no-target, within 6 points of FP) are wide of what 40 epochs gave on this model
 * and seed before the cache (docs/measured/qad-reset-v2: 0.57 %, 1.39 under FP); the default's figures are adaptive.md's.
 * A distillation too short to converge is tried twice and then refused: nothing is exported.
 */
class ResetDistillationDefenseTest {
    @TempDir static Path dir;
    static final Path clean = Path.of("models/scan-corpus/clean_w4_s4.pth");
    /** Width 4, 4×4 checkerboard at (1, 1), target 5, keyed to activation quantization. */
    static final Path qcb = Path.of("models/scan-corpus/qcb_a4_checker4_tl_t5_long.pth");

    @BeforeAll
    static void models() {
        TinyCli.assumeFashionMnist();
        assertThat(clean).as("run from the project root").exists();
        assertThat(qcb).exists();
    }

    private static JsonNode defend(Path model, String defense, String name, String... more) throws Exception {
        Path out = dir.resolve(name);
        Path json = dir.resolve(name + ".json");
        String[] base = {"defend", defense, "--checkpoint", model.toString(), "--bits", "4", "--threads", "1", "-q",
                "--output-dir", out.toString(), "--json", json.toString()};
        String[] args = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        TinyCli.Run r = TinyCli.lac4j(args);
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(json.toFile());
    }

    private static float[] weights(String run, String key) throws Exception {
        return Checkpoints.read(dir.resolve(run).resolve("purified.pth")).stateDict().get(key).toFloatArray();
    }

    @Test
    void aDistillationThatDidNotConvergeIsTriedAgainThenRefused() {
        Path out = dir.resolve("short");
        TinyCli.Run r = TinyCli.lac4j("defend", "qad-reset", "--checkpoint", clean.toString(), "--bits", "4",
                "--threads", "1", "-q", "--trigger", "stage2", "--limit", "32", "--cali-batches", "1", "--epochs", "1",
                "--output-dir", out.toString(), "--json", dir.resolve("short.json").toString());
        assertThat(r.code()).as("one step does not rebuild a stage: %s", r.err()).isEqualTo(1);
        assertThat(r.err()).contains("did not converge in " + ResetDistillation.ATTEMPTS + " attempts of 1 epoch:")
                .contains("32 clean calibration images").contains("--epochs");
        assertThat(dir.resolve("short.json")).doesNotExist();
        assertThat(out.resolve("purified.pth")).doesNotExist();
    }

    @Test
    void removesAnActivationKeyedBackdoorWithoutTheTriggerAndRecords() throws Exception {
        String[] args = {"--trigger", "patch:size=4,x=1,y=1,pattern=checker", "--target", "5", "--limit", "1000",
                "--seed", "1005", "--epochs", "40"};
        JsonNode doc = defend(qcb, "qad-reset", "qcb", args);
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "qad_reset");
        JsonNode p = doc.path("phases");
        assertThat(p.path("naive_ptq").path("asr_no_target").asDouble()).as("awake before").isGreaterThan(50);
        assertThat(p.path("qad_reset").path("asr_no_target").asDouble()).as("removed").isLessThan(5);
        assertThat(p.path("qad_reset").path("cda").asDouble()).isGreaterThan(p.path("fp").path("cda").asDouble() - 6);
        assertThat(doc.path("timings").path("reset").asDouble()).isPositive();
        assertThat(doc.path("timings").path("distillation").asDouble()).isPositive();
        assertThat(doc.path("timings").has("inversion")).as("no trigger search").isFalse();
        JsonNode s = doc.path("settings");
        assertThat(s.path("reset_stage").asText()).isEqualTo("layer4");
        assertThat(s.path("reset_layers").get(0).asText()).isEqualTo("layer4.0.conv1");
        assertThat(s.path("epochs").asInt()).as("--epochs").isEqualTo(40);
        assertThat(s.path("earlier_lr_factor").asDouble()).isZero();
        assertThat(s.path("feature_weight").asDouble()).isPositive();
        assertThat(s.path("calibration_accuracy_defended").asDouble())
                .isGreaterThan(s.path("calibration_accuracy_fp").asDouble() - ResetDistillation.MAX_CALIBRATION_DROP);
        JsonNode attempts = s.path("attempts");
        assertThat(attempts.isArray() && attempts.size() >= 1 && attempts.size() <= s.path("max_attempts").asInt())
                .as("calibration accuracy of each attempt: %s", attempts).isTrue();
        assertThat(attempts.get(attempts.size() - 1).asDouble()).isEqualTo(s.path("calibration_accuracy_defended").asDouble());
        JsonNode cache = s.path("prefix_cache");
        assertThat(cache.size()).as("one cache per attempt").isEqualTo(attempts.size());
        assertThat(cache.get(0).path("views").asInt()).isEqualTo(ResetDistillation.Settings.DEFAULT.views());
        assertThat(cache.get(0).path("tail_first_node").asText()).as("the stage alone runs per step").isEqualTo("layer4.0.conv1");
        assertThat(cache.get(0).path("bytes_per_image_and_view").asLong()).isPositive();
        assertThat(cache.get(0).path("seconds").asDouble()).isPositive();
        JsonNode epochSeconds = s.path("epoch_seconds");
        assertThat(epochSeconds.size()).as("one list per attempt").isEqualTo(attempts.size());
        double sum = 0;
        for (JsonNode attempt : epochSeconds) {
            assertThat(attempt.size()).as("one time per epoch").isEqualTo(40);
            for (JsonNode t : attempt) {
                assertThat(t.asDouble()).isGreaterThanOrEqualTo(0);
                sum += t.asDouble();
            }
        }
        assertThat(sum).as("the epochs make up the distillation").isPositive()
                .isLessThanOrEqualTo(doc.path("timings").path("distillation").asDouble() + 0.05 * 40);
        var fp = Checkpoints.read(qcb).stateDict();
        assertThat(correlation(fp.get("layer4.0.conv2.weight").toFloatArray(), weights("qcb", "layer4.0.conv2.weight")))
                .as("the last stage is new, not the FP one trained further").isLessThan(0.2);
        frozenLayersAreTheCheckpointsOnTheDeploymentsGrid(fp, "qcb");
    }

    /**
     * {@code qad-reset-regrid} on the same QCB, seed and length: removed too, every range on EMA-MinMax, the BatchNorms
     * before the stage measured again (timed) while their affine stays the checkpoint's.
     */
    @Test
    void regridMovesTheFrozenLayersOffTheDeploymentsGridAndRemovesTheBackdoor() throws Exception {
        JsonNode doc = defend(qcb, "qad-reset-regrid", "regrid", "--trigger", "patch:size=4,x=1,y=1,pattern=checker",
                "--target", "5", "--limit", "1000", "--seed", "1005", "--epochs", "40");
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "qad_reset_regrid");
        JsonNode p = doc.path("phases");
        assertThat(p.path("qad_reset_regrid").path("asr_no_target").asDouble()).as("removed").isLessThan(5);
        assertThat(p.path("qad_reset_regrid").path("cda").asDouble()).isGreaterThan(p.path("fp").path("cda").asDouble() - 6);
        assertThat(doc.path("timings").path("statistics").asDouble()).isPositive();
        JsonNode s = doc.path("settings");
        assertThat(s.path("activation_ranges").asText()).startsWith("EMAMinMaxObserver");
        assertThat(s.path("epochs").asInt()).isEqualTo(40);
        var fp = Checkpoints.read(qcb).stateDict();
        var exported = Checkpoints.read(dir.resolve("regrid").resolve("purified.pth")).stateDict();
        for (String key : new String[] {"layer3.1.bn2.weight", "layer3.1.bn2.bias"}) {
            assertThat(exported.get(key).toFloatArray()).as(key).containsExactly(fp.get(key).toFloatArray());
        }
        for (String key : new String[] {"layer3.1.bn2.running_mean", "layer3.1.bn2.running_var"}) {
            assertThat(exported.get(key).toFloatArray()).as("%s measured through the quantized layers", key)
                    .isNotEqualTo(fp.get(key).toFloatArray());
        }
    }

    /**
     * Every 4-bit weight before the reset stage is exported as the checkpoint's own weight quantized on the exported
     * grid, level for level: round-half-even(w / s) + z clamped to [0, 15]. A frozen weight that moved by even one
     * small step would change some levels. Elements within 1e-3 of a rounding tie may differ (the engine's float
     * order in w / s); they are counted and must stay rare. Their BatchNorms are the checkpoint's exactly.
     */
    private static void frozenLayersAreTheCheckpointsOnTheDeploymentsGrid(io.lac4j.io.StateDict fp, String run)
            throws Exception {
        var ints = io.lac4j.io.SafetensorsReader.read(dir.resolve(run).resolve("purified.int.safetensors")).stateDict();
        var exported = Checkpoints.read(dir.resolve(run).resolve("purified.pth")).stateDict();
        int layers = 0;
        long checked = 0;
        long ties = 0;
        for (String key : ints.keys()) {
            if (!key.endsWith(".weight_int") || !key.matches("layer[123]\\..*")) {
                continue;
            }
            String layer = key.substring(0, key.length() - ".weight_int".length());
            float[] w = fp.get(layer + ".weight").toFloatArray();
            float[] levels = ints.get(key).toFloatArray();
            float[] scale = ints.get(layer + ".weight_scale").toFloatArray();
            float[] zero = ints.get(layer + ".weight_zero_point").toFloatArray();
            int perChannel = w.length / scale.length;
            for (int i = 0; i < w.length; i++) {
                int c = i / perChannel;
                float ratio = w[i] / scale[c];
                double expected = Math.max(0, Math.min(15, Math.rint(ratio) + zero[c]));
                if (levels[i] != expected) {
                    assertThat(Math.abs(Math.abs(ratio - Math.floor(ratio)) - 0.5)).as("%s[%d]: level %s, the checkpoint's"
                            + " weight gives %s", layer, i, levels[i], expected).isLessThan(1e-3);
                    ties++;
                }
                checked++;
            }
            layers++;
        }
        assertThat(layers).as("4-bit layers before layer4").isGreaterThanOrEqualTo(12);
        assertThat(ties).as("levels off by a float-order tie, of %d", checked).isLessThanOrEqualTo(checked / 1000);
        for (String bn : new String[] {"layer3.1.bn2.weight", "layer3.1.bn2.bias", "layer3.1.bn2.running_mean",
                "layer3.1.bn2.running_var"}) {
            assertThat(exported.get(bn).toFloatArray()).as(bn).containsExactly(fp.get(bn).toFloatArray());
        }
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
