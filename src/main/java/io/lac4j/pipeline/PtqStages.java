package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.data.CalibrationList;
import io.lac4j.engine.Progress;
import io.lac4j.engine.Seeds;
import io.lac4j.nn.Graph;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.List;
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

    /** All batches of a list as NDArrays in {@code manager}, in list order. */
    static List<NDArray> batches(CalibrationList list, NDManager manager) {
        List<NDArray> out = new ArrayList<>(list.size());
        for (int k = 0; k < list.size(); k++) {
            out.add(list.batch(k, manager));
        }
        return out;
    }

    /** What the result file says about quantization. */
    static Map<String, Object> describe(String scheme, QuantConfig qc, PrepareOptions po, CalibrationConfig cc) {
        return Map.of("scheme", scheme == null ? "custom" : scheme,
                "weight", qc.weight().toString(), "activation", qc.activation().toString(),
                "w_observer", qc.weightObserver().toString(), "a_observer", qc.activationObserver().toString(),
                "io_8bit", po.ioEightBit(), "calibration", cc.toString());
    }
}
