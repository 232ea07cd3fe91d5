package io.lac4j.pipeline;

import io.lac4j.data.ImageDataset;
import io.lac4j.deploy.OnnxExport;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.quant.QuantizedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a run's quantized model goes: {@code .pth} (+ integer safetensors) or ONNX QDQ with lac4j's metadata. */
final class ModelExport {
    private ModelExport() {}

    /**
     * Writes a quantized model: ONNX QDQ for a {@code .onnx} path (metadata: lac4j version, source
     * checkpoint and its sha256, quantizer, method and the metrics lac4j measured), else {@code .pth} (with its
     * {@code .int.safetensors} beside it). Returns {@code file}: the model a user loads, not its integer companion.
     */
    static Path write(QuantizedModel qm, Path file, LoadedModel m, LoadedData d, String method, PhaseMetrics metrics) {
        if (!file.getFileName().toString().endsWith(".onnx")) {
            QuantizedExport.write(qm, file);
            return file;
        }
        Map<String, String> meta = new LinkedHashMap<>();
        String version = ModelExport.class.getPackage().getImplementationVersion();
        meta.put("lac4j_version", version == null ? "dev" : version);
        meta.put("source_checkpoint", m.path());
        meta.put("source_sha256", m.sha256());
        meta.put("arch", m.spec().describe());
        meta.put("quantization", qm.config().toString());
        meta.put("method", method);
        if (metrics != null) {
            meta.put("lac4j_cda", String.valueOf(Results.round(metrics.cda())));
            if (metrics.asrNt() != null) {
                meta.put("lac4j_asr", String.valueOf(Results.round(metrics.asrAll())));
                meta.put("lac4j_asr_no_target", String.valueOf(Results.round(metrics.asrNt())));
            }
        }
        ImageDataset test = d.splits().test();
        OnnxExport.write(qm, new int[] {test.channels(), test.height(), test.width()}, meta, file);
        return file;
    }
}
