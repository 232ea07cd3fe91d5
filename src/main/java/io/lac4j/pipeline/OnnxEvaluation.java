package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.deploy.OnnxRuntimeModel;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.io.Checkpoints;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lac4j evaluate --checkpoint model.onnx}: the same data, trigger and metrics as every other
 * evaluation, with the model run by ONNX Runtime instead of lac4j's engine (an export checked in a
 * real runtime, or any ONNX classifier a user brings). The phase is {@code onnx}.
 */
final class OnnxEvaluation {
    static final String PHASE = "onnx";

    private OnnxEvaluation() {}

    static boolean isOnnx(ModelSource src) {
        return src.checkpoint().getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    static EvaluateResult run(ModelSource src, DataSource data, long seed, Progress progress) {
        Instant started = Instant.now();
        Engines.start();
        try (NDManager run = Engines.newBaseManager(); OnnxRuntimeModel ort = OnnxRuntimeModel.open(src.checkpoint(), 1)) {
            LoadedData d = Loading.data(data);
            PhaseMetrics m = BackdoorEvaluator.evaluate(ort::forward, d.sets(), run, progress, PHASE);
            Map<String, String> meta = ort.metadata();
            ResultDocument.ModelInfo info = new ResultDocument.ModelInfo(src.checkpoint().toString(),
                    Checkpoints.sha256(src.checkpoint()), "onnx" + (meta.containsKey("arch") ? " (" + meta.get("arch") + ")" : ""),
                    null, "ONNX Runtime, metadata " + meta);
            Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
            phases.put(PHASE, Results.phase(m));
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("model", src);
            config.put("data", data);
            ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, "evaluate", info, Results.data(d, m), null, null,
                    phases, null, Map.of(PHASE + "_eval", m.seconds()), null, RunProvenance.current(started, seed, config));
            return new EvaluateResult(doc, m, null, null, null);
        }
    }
}
