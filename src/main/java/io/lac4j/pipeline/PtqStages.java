package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.data.CalibrationList;
import io.lac4j.engine.Progress;
import io.lac4j.engine.Seeds;
import io.lac4j.io.SafetensorsWriter;
import io.lac4j.io.StateDict;
import io.lac4j.io.TensorData;
import io.lac4j.nn.Graph;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import java.util.Map;

/** The stages quantize and purify share: draw calibration lists, prepare, calibrate. */
final class PtqStages {
    private PtqStages() {}

    /** LAC.md §3.2: the reconstruction list first, then the activation list, from one seeded stream. */
    static CalibrationData drawCalibration(LoadedData d, CalibrationConfig cfg, long seed) {
        return CalibrationData.draw(d.splits().train(), d.splits().test(), d.splits().normalization(),
                Seeds.rngForStage(seed, "calibration"), cfg);
    }

    /** Prepares a quantized copy of {@code fp} and calibrates it on {@code act} (LAC.md §7). */
    static QuantizedModel prepareAndCalibrate(Graph fp, QuantConfig qc, PrepareOptions po, CalibrationList act,
                                              NDManager run, Progress progress) {
        QuantizedModel qm = QuantizedModel.prepare(fp, qc, po, run);
        try {
            Calibration.run(qm, act.size(), act::batch, run, progress);
            return qm;
        } catch (RuntimeException e) {
            qm.close();
            throw e;
        }
    }

    /**
     * Writes a calibration list as it is used, so another implementation can calibrate on the very
     * same tensors: {@code activation_calibration} {@code [n, C, H, W]} float32 (batches concatenated
     * in order), {@code source_indices} {@code [n]} int64, the batch size in the metadata.
     */
    static void saveCalibration(CalibrationList list, java.nio.file.Path file) {
        int[] shape = list.imageShape();
        float[] all = list.concatenated();
        long[] idx = java.util.Arrays.stream(list.sourceIndices()).asLongStream().toArray();
        Map<String, TensorData> tensors = new java.util.LinkedHashMap<>();
        tensors.put("activation_calibration", TensorData.ofFloats(all, list.images(), shape[0], shape[1], shape[2]));
        tensors.put("source_indices", TensorData.ofLongs(idx, idx.length));
        SafetensorsWriter.write(file, StateDict.of(tensors), Map.of("batch_size", String.valueOf(list.batchSize(0)),
                "batches", String.valueOf(list.size())));
    }

    /** What the result file says about quantization. */
    static Map<String, Object> describe(String scheme, QuantConfig qc, PrepareOptions po, CalibrationConfig cc) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();   // document order, stable across runs
        out.put("scheme", scheme == null ? "custom" : scheme);
        out.put("weight", qc.weight().toString());
        out.put("activation", qc.activation().toString());
        out.put("w_observer", qc.weightObserver().toString());
        out.put("a_observer", qc.activationObserver().toString());
        out.put("io_8bit", po.ioEightBit());
        out.put("calibration", cc.toString());
        if (!po.activationObservers().isEmpty()) {
            Map<String, String> byModule = new java.util.TreeMap<>();
            po.activationObservers().forEach((k, v) -> byModule.put(k, v.toString()));
            out.put("a_observer_by_module", byModule);
        }
        return out;
    }
}
