package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lac4j.cli.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lac4j purify --resume RUN_DIR` needs nothing but the folder, and refuses overrides that change the run. */
class PurifyResumeCommandTest {
    @Test
    void resumeNeedsOnlyTheRunFolderAndRefusesContradictions(@TempDir Path dir) throws IOException {
        Path model = TinyCli.trainTinyModel(dir);
        Path out = dir.resolve("outputs");
        TinyCli.Run first = TinyCli.lac4j("purify", "template=qu_fmnist_fp", "model.path=" + model, "data.limit=200",
                "quantize.cali_batchsize=2", "quantize.reconstruction.max_count=3", "report.drift_images=0",
                "output_dir=" + out, "task_name=resume", "--threads", "1", "-q");
        assertThat(first.code()).as(first.err()).isZero();
        Path runDir;
        try (Stream<Path> s = Files.list(out.resolve("resume"))) {
            runDir = s.findFirst().orElseThrow();
        }
        assertThat(runDir.resolve(RunConfig.FILE)).isRegularFile();
        JsonNode before = new ObjectMapper().readTree(runDir.resolve("results.json").toFile());

        // As after a kill -9 at the end: the results are gone, the unit state is there.
        Files.delete(runDir.resolve("results.json"));
        TinyCli.Run resumed = TinyCli.lac4j("purify", "--resume", runDir.toString(), "--threads", "1", "-q");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("template: qu_fmnist_fp").contains("run folder: " + runDir);
        JsonNode after = new ObjectMapper().readTree(runDir.resolve("results.json").toFile());
        for (String phase : new String[] {"naive_ptq", "purified"}) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) before.at("/phases/" + phase)).remove("seconds");
            ((com.fasterxml.jackson.databind.node.ObjectNode) after.at("/phases/" + phase)).remove("seconds");
            assertThat(after.at("/phases/" + phase)).as(phase).isEqualTo(before.at("/phases/" + phase));
        }

        TinyCli.Run same = TinyCli.lac4j("purify", "--resume", runDir.toString(), "quantize.reconstruction.max_count=3", "-q");
        assertThat(same.code()).as(same.err()).isZero();

        TinyCli.Run changed = TinyCli.lac4j("purify", "--resume", runDir.toString(), "quantize.reconstruction.max_count=4", "pda=True");
        assertThat(changed.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(changed.err()).contains("pda=true contradicts the saved run (pda=false)")
                .contains("quantize.reconstruction.max_count=4 contradicts the saved run (quantize.reconstruction.max_count=3)");
    }

    @Test
    void aFolderWithoutSavedConfigurationIsNamed(@TempDir Path dir) {
        TinyCli.Run r = TinyCli.lac4j("purify", "--resume", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("--resume " + dir + ": no run-config.json in this folder");
    }
}
