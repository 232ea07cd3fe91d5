package io.lac4j.pipeline;

import java.util.List;

/** Every single defense run (in run order) and the aggregated document. */
public record CompareResult(List<DefendResult> runs, ComparisonDocument document) {
    public CompareResult {
        runs = List.copyOf(runs);
    }
}
