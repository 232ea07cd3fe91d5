package io.lac4j.pipeline;

import io.lac4j.eval.PhaseMetrics;
import io.lac4j.models.LoadReport;
import io.lac4j.models.ModelSpec;

/** What {@link Pipeline#evaluate} returns: the result document plus the raw metrics. */
public record EvaluateResult(ResultDocument document, PhaseMetrics fp, ModelSpec spec, String inference, LoadReport load) {}
