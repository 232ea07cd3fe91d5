package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationData;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.eval.ActivationDrift;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.DriftVerdict;
import io.lac4j.eval.EvalSets;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drift diagnostic ({@code lac4j inspect-drift}) and the call the purify pipeline uses to add
 * drift profiles to its report: {@link #profile} before reconstruction ({@code naive_ptq}) and after
 * it ({@code purified}).
 */
public final class Drift {
    private Drift() {}

    /** Quantizes and calibrates the checkpoint as {@code quantize} does, then profiles its drift. */
    public static DriftResult inspect(DriftRequest req, Progress progress) {
        java.time.Instant started = java.time.Instant.now();
        Engines.start();
        try (NDManager run = Engines.newBaseManager(); LoadedModel m = Pipeline.loadModel(req.model(), run)) {
            LoadedData d = Pipeline.loadData(req.data());
            long t0 = System.nanoTime();
            CalibrationData cal = PtqStages.drawCalibration(d, req.calibration(), req.seed());
            try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), req.config(), req.prepare(),
                    cal.activation(), run, progress)) {
                double calSeconds = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                DriftProfile p = profile("naive_ptq", m.graph(), qm, d.sets(), req.images(), run, progress);
                double driftSeconds = (System.nanoTime() - t1) / 1e9;
                DriftVerdict verdict = DriftVerdict.of(p);
                ResultDocument.ModelInfo model = Results.model(m);
                ResultDocument.DataInfo data = new ResultDocument.DataInfo(d.splits().name(), d.location(),
                        d.triggerName(), d.trigger() == null ? null : d.target(), (long) p.images(),
                        d.trigger() == null ? null : (long) p.images(), null);
                Map<String, Object> quant = PtqStages.describe(req.schemeName(), req.config(), req.prepare(), req.calibration());
                Map<String, Double> timings = new LinkedHashMap<>();
                timings.put("calibration", calSeconds);
                timings.put("drift", driftSeconds);
                RunProvenance prov = RunProvenance.current(started, req.seed(), req);
                DriftDocument dd = new DriftDocument(DriftDocument.SCHEMA, "inspect-drift", model, data, quant,
                        List.of(p), verdict, timings, prov);
                ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, "inspect-drift", model, data, quant,
                        null, Map.of(), null, timings, Map.of("drift_images", p.images()), prov);
                return new DriftResult(p, verdict, dd, doc);
            }
        }
    }

    /**
     * Drift of {@code qm} in its current quantizer state against {@code fp} at every activation
     * quantizer; the purify pipeline calls it with phase {@code naive_ptq} right after calibration
     * and {@code purified} after hardening, and hands both to {@code ReportInput}.
     */
    public static DriftProfile profile(String phase, Graph fp, QuantizedModel qm, EvalSets sets, int images,
                                       NDManager parent, Progress progress) {
        return ActivationDrift.profile(phase, fp, qm.graph(), points(qm), sets, images, parent, progress);
    }

    /** One point per activation quantizer: FP producer vs the quantizer node, in graph order. */
    public static List<ActivationDrift.Point> points(QuantizedModel qm) {
        List<ActivationDrift.Point> out = new ArrayList<>();
        for (var e : qm.activationQuantizers().entrySet()) {
            String producer = qm.producerOf(e.getKey());
            out.add(new ActivationDrift.Point(producer, producer, e.getKey(), e.getValue().scheme().bits()));
        }
        out.sort(java.util.Comparator.comparingInt(p -> qm.graph().indexOf(p.quantNode())));
        return out;
    }
}
