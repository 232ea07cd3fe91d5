package io.lac4j.pipeline;

import io.lac4j.eval.PhaseMetrics;

/** FP and naive-PTQ metrics side by side, and the document written as results.json. */
public record QuantizeResult(ResultDocument document, PhaseMetrics fp, PhaseMetrics naive, double calibrationSeconds,
                             java.util.List<io.lac4j.eval.DriftProfile> drift) {}
