package io.lac4j.pipeline;

import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.ptq.UnitReport;
import java.nio.file.Path;
import java.util.List;

/** FP, naive-PTQ and purified metrics, per-unit reports, drift profiles, and where the purified model went. */
public record PurifyResult(ResultDocument document, PhaseMetrics fp, PhaseMetrics naive, PhaseMetrics purified,
                           List<UnitReport> units, Path purifiedModel, List<DriftProfile> drift) {
    public PurifyResult {
        units = List.copyOf(units);
        drift = List.copyOf(drift);
    }
}
