package io.lac4j.pipeline;

import io.lac4j.eval.PhaseMetrics;
import io.lac4j.training.EpochRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a training run produced.
 *
 * @param phases FP and each quantizer's metrics on the test set, by name ({@code fp},
 *     {@code qu-anti-zation-4}, {@code academic-w4a4}, ...), in report order
 * @param targeted names of the quantizers the backdoor was shaped for
 */
public record TrainingResult(Path out, Path manifest, Map<String, PhaseMetrics> phases, List<String> targeted,
                             List<EpochRecord> log, int selectedEpoch, double seconds) {}
