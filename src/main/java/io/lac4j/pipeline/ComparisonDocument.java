package io.lac4j.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * What {@code lac4j compare} writes as {@code compare.json} (schema {@value #SCHEMA}): the model,
 * the protocol, the aggregated rows and every single run they came from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "command", "model", "data", "settings", "rows", "runs", "provenance"})
public record ComparisonDocument(String schema, String command, ResultDocument.ModelInfo model, ResultDocument.DataInfo data,
                                 Map<String, Object> settings, List<ComparisonRow> rows, List<Run> runs,
                                 RunProvenance provenance) {
    public static final String SCHEMA = "lac4j.compare/1";

    public ComparisonDocument {
        rows = List.copyOf(rows);
        runs = List.copyOf(runs);
    }

    /**
     * One defense run: the defended phase's metrics, DER against the deployment's naive PTQ, wall time, and
     * with {@code --scan} the trigger-free residual (the scan's suspect pattern's flip rate on the defended model, %),
     * with {@code --range-sweep} the highest ASR-no-target at the calibrated ranges and over the sweep (%).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(String defense, int bits, long seed, double cda, Double asr, Double asrNoTarget, Double der,
                      double seconds, Double residual, Double worstAsrNoTargetOverSweep) {}
}
