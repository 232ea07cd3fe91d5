package io.lac4j.pipeline;

import io.lac4j.attack.AttackKind;
import io.lac4j.attack.AttackSettings;
import io.lac4j.training.TrainConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A training run: clean training or an attack.
 *
 * @param checkpoint model to start from; null trains from PyTorch's default initialisation of
 *     {@code arch} with {@code width}
 * @param stage1 PQBackdoor only: an existing stage-1 (BadNets) model, skipping stage 1
 * @param out the selected weights (.pth); the manifest, training log and resume state go next to it
 * @param ptqReport MQBench presets to run naive PTQ with on the result (e.g. academic-w4a4)
 * @param testImages test images of the final report (0 = the whole test set)
 * @param commandLine how the run was invoked, recorded in the manifest so it can be repeated; may be null
 */
public record TrainingRequest(
        AttackKind kind,
        Path checkpoint,
        String arch,
        int width,
        DataSource data,
        TrainConfig train,
        AttackSettings settings,
        Path stage1,
        Path out,
        boolean resume,
        List<String> ptqReport,
        int testImages,
        String commandLine) {
    public TrainingRequest {
        if (out == null) {
            throw new IllegalArgumentException("--out: an output .pth is required");
        }
        ptqReport = ptqReport == null ? List.of() : List.copyOf(ptqReport);
        settings = settings == null ? AttackSettings.DEFAULTS : settings;
        arch = arch == null ? "auto" : arch;
    }
}
