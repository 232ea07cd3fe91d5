package io.lac4j.pipeline;

import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.DriftVerdict;

/**
 * The drift profile of the naive-PTQ model, its heuristic verdict, the drift file ({@code --json})
 * and a result document for a report ({@code --report}; no phases evaluated).
 */
public record DriftResult(DriftProfile profile, DriftVerdict verdict, DriftDocument drift, ResultDocument document) {}
