package io.lac4j.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.DriftVerdict;
import java.util.List;
import java.util.Map;

/**
 * What {@code lac4j inspect-drift --json} writes (schema {@value #SCHEMA}): the model, data and
 * quantization as in {@link ResultDocument}, one drift profile per compared model state, and the
 * heuristic verdict. Drift values are relative L2 distances (0 = identical; not percentages).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "command", "model", "data", "quantization", "profiles", "verdict", "timings", "provenance"})
public record DriftDocument(
        String schema,
        String command,
        ResultDocument.ModelInfo model,
        ResultDocument.DataInfo data,
        Map<String, Object> quantization,
        List<DriftProfile> profiles,
        DriftVerdict verdict,
        Map<String, Double> timings,
        RunProvenance provenance) {
    public static final String SCHEMA = "lac4j.drift/1";

    public DriftDocument {
        profiles = List.copyOf(profiles);
    }
}
