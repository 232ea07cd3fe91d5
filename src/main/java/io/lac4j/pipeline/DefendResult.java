package io.lac4j.pipeline;

import io.lac4j.defense.Defense;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.ptq.UnitReport;
import java.nio.file.Path;
import java.util.List;

/**
 * One defense's outcome: FP, naive-PTQ and defended metrics (for naive PTQ the defended
 * model is the naive one), DER naive → defended (null without a trigger), the run's wall time in
 * seconds, per-unit reports of reconstructing defenses, and where the defended model went (or null).
 */
public record DefendResult(Defense defense, ResultDocument document, PhaseMetrics fp, PhaseMetrics naive,
                           PhaseMetrics defended, Double der, double seconds, List<UnitReport> units, Path model) {
    public DefendResult {
        units = List.copyOf(units);
    }
}
