package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.engine.Progress;
import io.lac4j.eval.Der;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.pipeline.CompareRequest;
import io.lac4j.pipeline.CompareResult;
import io.lac4j.pipeline.DataSource;
import io.lac4j.pipeline.DefendRequest;
import io.lac4j.pipeline.DefendResult;
import io.lac4j.defense.Defenses;
import io.lac4j.pipeline.DefenseProtocol;
import io.lac4j.pipeline.ModelSource;
import io.lac4j.pipeline.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end, tiny: {@code compare} of four defenses at two widths over two seeds, one step per unit. */
class CompareCommandTest {
    @TempDir static Path dir;
    static Path model;

    @BeforeAll
    static void trainTinyModel() {
        model = TinyCli.trainTinyModel(dir);
    }

    @Test
    void writesTheTableInFourFormatsWithOneRowPerDefenseAndWidth() throws Exception {
        Path out = dir.resolve("cmp");
        TinyCli.Run r = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "32",
                "--defenses", "naive,efrap,lac-act,ft", "--bits", "4,8", "--seeds", "2", "--max-count", "1",
                "--cali-batches", "1", "--epochs", "1", "--threads", "1", "-q", "--output-dir", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| defense | bits | seeds | CDA | ASR | ASR-nt | DER | time (s) |")
                .contains("| efrap | 4 | 2 |").contains("| ft | 8 | 2 |");
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        assertThat(csv).hasSize(1 + 4 * 2);
        assertThat(csv.get(0)).startsWith("defense,bits,seeds,cda_mean,cda_std");
        byte[] png = Files.readAllBytes(out.resolve("compare.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Files.readString(out.resolve("compare.md"))).contains("Command: `lac4j compare --checkpoint")
                .contains("Deployment quantizer (naive PTQ and every PTQ defense): academic (bits 4 = W4A4, bits 8 = W8A8)");

        JsonNode doc = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertThat(doc.path("schema").asText()).isEqualTo("lac4j.compare/1");
        assertThat(doc.path("runs")).hasSize(16);
        assertThat(doc.path("settings").path("seeds").toString()).isEqualTo("[1005,1006]");
        assertThat(doc.path("settings").path("widths").toString()).isEqualTo("{\"4\":\"W4A4\",\"8\":\"W8A8\"}");
        for (JsonNode row : doc.path("rows")) {
            assertThat(row.path("seeds").asInt()).isEqualTo(2);
            if (row.path("defense").asText().equals("naive")) {
                // naive PTQ measured against itself: no ASR drop, no CDA drop, DER exactly 50 on every seed
                assertThat(row.path("der").path("mean").asDouble()).isEqualTo(50.0);
                assertThat(row.path("der").path("std").asDouble()).isEqualTo(0.0);
            }
        }
        // each row's mean is the mean of its runs
        JsonNode efrap4 = doc.path("rows").get(1);
        assertThat(efrap4.path("defense").asText()).isEqualTo("efrap");
        double sum = 0;
        for (JsonNode run : doc.path("runs")) {
            if (run.path("defense").asText().equals("efrap") && run.path("bits").asInt() == 4) {
                sum += run.path("cda").asDouble();
            }
        }
        assertThat(efrap4.path("cda").path("mean").asDouble()).isCloseTo(sum / 2, offset(1e-9));
    }

    @Test
    void aRangeSweepAddsEachRunsWorstAsrNoTargetAsDefendMeasuresIt() throws Exception {
        Path out = dir.resolve("cmp-sweep");
        String[] common = {"--checkpoint", model.toString(), "--trigger", "stage2", "--limit", "32", "--bits", "4",
                "--max-count", "1", "--cali-batches", "1", "--epochs", "1", "--threads", "1", "-q", "--range-sweep", "0.5,2"};
        TinyCli.Run r = TinyCli.lac4j(concat(new String[] {"compare", "--defenses", "naive,ft", "--seeds", "1",
                "--output-dir", out.toString()}, common));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| worst ASR-nt over range sweep |");
        assertThat(Files.readAllLines(out.resolve("compare.csv")).get(0)).endsWith(",sweep_worst_asr_no_target_std");
        JsonNode doc = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertThat(doc.path("settings").path("range_sweep").toString()).isEqualTo("[0.5,2.0]");
        JsonNode naive = doc.path("runs").get(0);
        JsonNode ft = doc.path("runs").get(1);
        assertThat(naive.has("worst_asr_no_target_over_sweep")).as("naive leaves the model as calibrated: no sweep").isFalse();
        // the same run through defend: compare's figure is the highest of its ASR-nt and the sweep's
        Path json = dir.resolve("sweep-ft.json");
        TinyCli.Run d = TinyCli.lac4j(concat(new String[] {"defend", "ft", "--seed", "1005", "--json", json.toString(),
                "--output-dir", dir.resolve("sweep-ft").toString()}, common));
        assertThat(d.code()).as(d.err()).isZero();
        JsonNode alone = new ObjectMapper().readTree(json.toFile());
        double worst = alone.path("phases").path("ft").path("asr_no_target").asDouble();
        for (JsonNode p : alone.path("range_sweep").path("ft")) {
            worst = Math.max(worst, p.path("asr_no_target").asDouble());
        }
        assertThat(ft.path("worst_asr_no_target_over_sweep").asDouble()).isEqualTo(worst);
        assertThat(doc.path("rows").get(1).path("worst_asr_no_target_over_sweep").path("mean").asDouble()).isEqualTo(worst);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * FP and naive PTQ are measured once per (quantizer, bits, seed) and reused: the reusing run
     * says so in its timings, and every metric is the one a standalone {@code defend} measures.
     */
    @Test
    void reusedBaselinesGiveTheSameMetricsAsStandaloneRuns() {
        DefenseProtocol p = new DefenseProtocol(ModelSource.of(model, "auto"), new DataSource("fmnist", null, "stage2", 0, 32),
                4, 1, 1, 1, 11);
        CompareResult cmp = Pipeline.compare(new CompareRequest(p, List.of(Defenses.byName("naive", "test"), Defenses.byName("lac", "test"), Defenses.byName("minmax", "test")),
                List.of(4), 1), Progress.NONE);
        DefendResult naive = cmp.runs().get(0);
        DefendResult lac = cmp.runs().get(1);
        DefendResult minmax = cmp.runs().get(2);
        assertThat(naive.document().timings()).doesNotContainKey("reused_eval");
        assertThat(lac.document().timings()).containsEntry("reused_eval", naive.fp().seconds() + naive.naive().seconds());
        assertThat(minmax.document().timings()).containsEntry("reused_eval", naive.fp().seconds());   // naive: own ranges

        DefendResult alone = Pipeline.defend(new DefendRequest(Defenses.byName("lac", "test"), p), Progress.NONE);
        assertThat(alone.document().timings()).doesNotContainKey("reused_eval");
        assertSameMetrics(lac.fp(), alone.fp());
        assertSameMetrics(lac.naive(), alone.naive());
        assertSameMetrics(lac.defended(), alone.defended());
        assertThat(lac.der()).isEqualTo(alone.der());
    }

    /** Without a deployment-quantized defense (lac-act only) DER is still measured from Academic naive PTQ. */
    @Test
    void derOfANonDeploymentDefenseIsMeasuredFromAcademicNaive() {
        DefenseProtocol p = new DefenseProtocol(ModelSource.of(model, "auto"), new DataSource("fmnist", null, "stage2", 0, 32),
                8, 1, 1, 1, 12);
        CompareResult cmp = Pipeline.compare(new CompareRequest(p, List.of(Defenses.byName("lac-act", "test")), List.of(8), 1), Progress.NONE);
        DefendResult deployment = Pipeline.defend(new DefendRequest(Defenses.byName("naive", "test"), p), Progress.NONE);
        DefendResult lacAct = cmp.runs().get(0);
        assertThat(cmp.document().runs()).hasSize(1);
        assertThat(cmp.document().runs().get(0).der())
                .isCloseTo(Der.compute(deployment.naive().cda(), deployment.naive().asrNt(),
                        lacAct.defended().cda(), lacAct.defended().asrNt()), offset(1e-4));
    }

    private static void assertSameMetrics(PhaseMetrics a, PhaseMetrics b) {
        assertThat(a.clean()).isEqualTo(b.clean());
        assertThat(a.asr()).isEqualTo(b.asr());
        assertThat(a.asrNoTarget()).isEqualTo(b.asrNoTarget());
    }

    @Test
    void unknownDefenseAndBadWidthAreUsageErrors() {
        TinyCli.Run d = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--defenses", "naive,ftt");
        assertThat(d.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(d.err()).contains("--defenses: expected one of [naive,").contains("got 'ftt'");
        TinyCli.Run b = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--bits", "4,16");
        assertThat(b.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(b.err()).contains("--bits: expected 2..8, got 16");
        TinyCli.Run e = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--defenses", "naive,lac", "--epochs", "2");
        assertThat(e.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(e.err()).contains("--epochs: none of naive, lac reads it; it applies to qad, qad-reset, qad-reset-regrid, ft, fine-pruning");
    }
}
