package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        assertThat(Files.readString(out.resolve("compare.md"))).contains("Command: `lac4j compare --checkpoint");

        JsonNode doc = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertThat(doc.path("schema").asText()).isEqualTo("lac4j.compare/1");
        assertThat(doc.path("runs")).hasSize(16);
        assertThat(doc.path("settings").path("seeds").toString()).isEqualTo("[1005,1006]");
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
    void unknownDefenseAndBadWidthAreUsageErrors() {
        TinyCli.Run d = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--defenses", "naive,ftt");
        assertThat(d.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(d.err()).contains("--defenses: expected one of [naive,").contains("got 'ftt'");
        TinyCli.Run b = TinyCli.lac4j("compare", "--checkpoint", model.toString(), "--bits", "4,16");
        assertThat(b.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(b.err()).contains("--bits: expected 2..8, got 16");
    }
}
