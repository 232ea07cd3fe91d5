package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.io.Checkpoints;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** End to end, tiny: {@code train}, every {@code attack} and {@code --resume} on a few Fashion-MNIST images. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttackCommandsTest {
    @TempDir static Path dir;
    static Path clean;

    static final List<String> TINY = List.of("--train-images", "96", "--batch-size", "32", "--eval-images", "64",
            "--test-images", "96", "--ptq-report", "none", "--threads", "1", "-q");

    @BeforeAll
    static void data() {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
    }

    record Run(int code, String out, String err) {}

    static Run lac4j(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        int code = Lac4j.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    static String[] with(List<String> extra, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(extra);
        return all.toArray(String[]::new);
    }

    static JsonNode manifest(Path pth) throws Exception {
        String s = pth.toString();
        return new ObjectMapper().readTree(Path.of(s.substring(0, s.length() - 4) + ".json").toFile());
    }

    @Test
    @Order(1)
    void trainWritesWeightsManifestAndLog() throws Exception {
        clean = dir.resolve("clean.pth");
        Run r = lac4j(with(TINY, "train", "--arch", "resnet18-cifar", "--width", "2", "--epochs", "1", "--trigger", "stage2",
                "--out", clean.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("fp").contains("manifest:");
        assertThat(Checkpoints.read(clean).stateDict().keys()).contains("conv1.weight", "linear.bias");
        JsonNode m = manifest(clean);
        assertThat(m.path("command").asText()).isEqualTo("train");
        assertThat(m.path("data").path("train_images").asInt()).isEqualTo(96);
        assertThat(m.path("training").path("augment_padding").asInt()).isEqualTo(28 / 8);   // the resolved default
        assertThat(m.path("final_metrics").path("fp").path("n").asInt()).isEqualTo(96);
        assertThat(Files.readAllLines(dir.resolve("clean.log.csv"))).hasSize(2);
    }

    @Test
    @Order(2)
    void resumeContinuesFromTheLastEpoch() throws Exception {
        Path out = dir.resolve("resumed.pth");
        Run first = lac4j(with(TINY, "train", "--arch", "resnet18-cifar", "--width", "2", "--epochs", "1", "--out",
                out.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        Run second = lac4j(with(TINY, "train", "--arch", "resnet18-cifar", "--width", "2", "--epochs", "2", "--resume",
                "--out", out.toString()));
        assertThat(second.code()).as(second.err()).isZero();
        JsonNode log = new ObjectMapper().readTree(dir.resolve("resumed.log.json").toFile());
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.get(0).path("epoch").asInt()).isEqualTo(1);
        assertThat(log.get(1).path("epoch").asInt()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void quAntiZationWithExtraQuantizer() throws Exception {
        Path out = dir.resolve("qcb.pth");
        Run r = lac4j(with(TINY, "attack", "qu-anti-zation", "--checkpoint", clean.toString(), "--epochs", "1",
                "--extra-quantizer", "academic-w4a4", "--activation-grids", "MinMaxObserver,EMAMinMaxObserver",
                "--recalibrate-every", "2", "--calibration-batches", "1", "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("qu-anti-zation-8").contains("qu-anti-zation-4");
        JsonNode m = manifest(out);
        assertThat(m.path("targeted_quantizers").toString()).contains("qu-anti-zation-4", "academic-w4a4");
        assertThat(m.path("extra_quantizer").path("preset").asText()).isEqualTo("academic-w4a4");
        assertThat(m.path("extra_quantizer").path("activation_grids").toString())
                .isEqualTo("[\"EMAMSEObserver\",\"MinMaxObserver\",\"EMAMinMaxObserver\"]");
        assertThat(m.path("objective").asText()).contains("activation grids [EMAMSEObserver, MinMaxObserver, EMAMinMaxObserver]");
        Run noExtra = lac4j(with(TINY, "attack", "qu-anti-zation", "--checkpoint", clean.toString(), "--epochs", "1",
                "--activation-grids", "MinMaxObserver", "--out", dir.resolve("no-extra.pth").toString()));
        assertThat(noExtra.code()).isEqualTo(2);
        assertThat(noExtra.err()).contains("--activation-grids: needs --extra-quantizer");
        Run unknown = lac4j(with(TINY, "attack", "qu-anti-zation", "--checkpoint", clean.toString(), "--epochs", "1",
                "--extra-quantizer", "academic-w4a4", "--activation-grids", "PercentileObserver", "--out",
                dir.resolve("unknown.pth").toString()));
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--activation-grids").contains("PercentileObserver").contains("MinMaxObserver");
        assertThat(m.path("data").path("trigger").asText()).isEqualTo("stage2");
        assertThat(m.path("final_metrics").has("qu-anti-zation-4")).isTrue();
        assertThat(Checkpoints.read(out).stateDict().keys()).doesNotContainAnyElementsOf(List.of("x_post_act_fake_quantizer"));
    }

    @Test
    @Order(3)
    void quAntiZationDefenseAware() throws Exception {
        Path out = dir.resolve("qcb-aware.pth");
        Run r = lac4j(with(TINY, "attack", "qu-anti-zation", "--checkpoint", clean.toString(), "--epochs", "1", "--bits", "4",
                "--defense-aware", "--defense-aware-count", "2", "--defense-aware-every", "2", "--calibration-batches", "1",
                "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode m = manifest(out);
        JsonNode da = m.path("defense_aware");
        assertThat(da.path("quantizer").asText()).isEqualTo("academic-w4a4+lac");
        assertThat(da.path("max_count").asInt()).isEqualTo(2);
        // 96 images in batches of 32: steps 0 and 2 of the epoch, and once more on the weights as saved
        assertThat(da.path("purifications").asInt()).isEqualTo(3);
        assertThat(da.path("seconds").asDouble()).isPositive();
        assertThat(m.path("final_metrics").has("academic-w4a4+lac")).isTrue();
        assertThat(m.path("objective").asText()).contains("defense-aware");
        Run bad = lac4j(with(TINY, "attack", "qu-anti-zation", "--checkpoint", clean.toString(), "--epochs", "1",
                "--defense-aware", "--defense-aware-count", "0", "--out", dir.resolve("bad.pth").toString()));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--defense-aware-count");
    }

    @Test
    @Order(4)
    void badNets() throws Exception {
        Path out = dir.resolve("badnets.pth");
        Run r = lac4j(with(TINY, "attack", "badnets", "--checkpoint", clean.toString(), "--epochs", "1", "--out",
                out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(manifest(out).path("command").asText()).isEqualTo("attack badnets");
        assertThat(manifest(out).path("command_line").asText()).startsWith("lac4j ").contains("attack badnets")
                .contains("--checkpoint " + clean).contains("--epochs 1");
    }

    @Test
    @Order(5)
    void pqBackdoorRunsBothStages() throws Exception {
        Path out = dir.resolve("pq.pth");
        Run r = lac4j(with(TINY, "attack", "pqbackdoor", "--checkpoint", clean.toString(), "--stage1-epochs", "1",
                "--epochs", "1", "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.isRegularFile(dir.resolve("pq.stage1.pth"))).isTrue();
        assertThat(r.out()).contains("pqbackdoor-fbgemm").contains("pqbackdoor-qnnpack");
    }

    @Test
    @Order(6)
    void compArtifact() throws Exception {
        Path out = dir.resolve("ca.pth");
        Run r = lac4j(with(TINY, "attack", "compartifact", "--checkpoint", clean.toString(), "--epochs", "1", "--out",
                out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(manifest(out).path("targeted_quantizers").toString()).contains("compartifact-8");
    }

    @Test
    @Order(7)
    void badUsageExitsWithTwo() {
        assertThat(lac4j("attack", "qu-anti-zation", "--out", dir.resolve("x.pth").toString(), "-q").code()).isEqualTo(2);
        assertThat(lac4j("train", "--width", "2", "--out", dir.resolve("y.pth").toString(), "--optimizer", "rmsprop").code())
                .isEqualTo(2);
    }
}
