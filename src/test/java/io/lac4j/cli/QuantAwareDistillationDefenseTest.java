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
 * End to end: {@code defend qad} inverts and refines the strongest quantized-vs-FP pattern (timed),
 * distils, records its settings and the class it stamped, and exports the purified model; the same seed
 * gives the same weights. On the corpus's
 * activation-keyed QCB (awake at Academic W4A4) it removes the backdoor without the trigger.
 */
class QuantAwareDistillationDefenseTest {
    @TempDir static Path dir;
    static final Path clean = Path.of("models/scan-corpus/clean_w4_s4.pth");
    /** Width 4, 4×4 checkerboard at (1, 1), target 5, keyed to activation quantization. */
    static final Path qcb = Path.of("models/scan-corpus/qcb_a4_checker4_tl_t5_long.pth");
    static final String QCB_TRIGGER = "patch:size=4,x=1,y=1,pattern=checker";

    @BeforeAll
    static void models() {
        TinyCli.assumeFashionMnist();
        assertThat(clean).as("run from the project root").exists();
        assertThat(qcb).exists();
    }

    private static JsonNode defend(String defense, Path model, String name, String... more) throws Exception {
        Path out = dir.resolve(name);
        Path json = dir.resolve(name + ".json");
        String[] base = {"defend", defense, "--checkpoint", model.toString(), "--bits", "4", "--threads", "1", "-q",
                "--output-dir", out.toString(), "--json", json.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        TinyCli.Run r = TinyCli.lac4j(args);
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(json.toFile());
    }

    private static float[] weights(String name) throws Exception {
        return Checkpoints.read(dir.resolve(name).resolve("purified.pth")).stateDict().get("layer1.0.conv1.weight").toFloatArray();
    }

    @Test
    void defendsRecordsAndIsRepeatable() throws Exception {
        String[] small = {"--trigger", "stage2", "--limit", "32", "--cali-batches", "2"};
        JsonNode doc = defend("qad", clean, "qad1", small);
        assertThat(ResultSchema.validate(doc)).isEmpty();
        assertThat(doc.path("phases").fieldNames()).toIterable().containsExactly("fp", "naive_ptq", "qad");
        assertThat(doc.path("timings").path("inversion").asDouble()).isPositive();
        assertThat(doc.path("timings").path("distillation").asDouble()).isPositive();
        assertThat(doc.path("settings").path("refine_again_steps").asInt()).isEqualTo(20);
        assertThat(doc.path("settings").path("stamped_class").asInt()).isBetween(0, 9);
        JsonNode stamped = doc.path("settings").path("stamped_classes");
        assertThat(stamped.size()).as("the best class, and the runner-up only when close").isBetween(1, 2);
        assertThat(stamped.get(0).asInt()).isEqualTo(doc.path("settings").path("stamped_class").asInt());
        defend("qad", clean, "qad2", small);
        assertThat(weights("qad2")).containsExactly(weights("qad1"));
    }

    @Test
    void removesAnActivationKeyedBackdoorWithoutTheTrigger() throws Exception {
        JsonNode doc = defend("qad", qcb, "qcb", "--trigger", QCB_TRIGGER, "--target", "5", "--limit", "1000",
                "--seed", "1005");
        JsonNode p = doc.path("phases");
        assertThat(doc.path("settings").path("stamped_class").asInt()).as("the class it found").isEqualTo(5);
        assertThat(p.path("naive_ptq").path("asr_no_target").asDouble()).as("awake before").isGreaterThan(50);
        assertThat(p.path("qad").path("asr_no_target").asDouble()).as("removed").isLessThan(10);
        assertThat(p.path("qad").path("cda").asDouble()).isGreaterThan(p.path("fp").path("cda").asDouble() - 4);
    }
}
