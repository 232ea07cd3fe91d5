package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.engine.Progress;
import io.lac4j.eval.ActivationDrift;
import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.DriftVerdict;
import io.lac4j.eval.EvalSets;
import io.lac4j.nn.Graph;
import io.lac4j.quant.QuantizedModel;
import java.util.ArrayList;
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
        DefendedRun.Plan plan = new DefendedRun.Plan(req.model(), req.data(), req.config(), req.prepare(), req.calibration(),
                List.of(), DefenseOptions.reference(0, req.seed()), false, false, req.images(), null, false, Map.of(), null,
                null);
        DefendedRun.Outcome o = DefendedRun.run(plan, BaselineMemo.NONE, progress);
        DriftProfile p = o.drift().get(0);
        DriftVerdict verdict = DriftVerdict.of(p);
        LoadedData d = o.data();
        ResultDocument.DataInfo data = new ResultDocument.DataInfo(d.splits().name(), d.location(),
                d.triggerName(), d.trigger() == null ? null : d.target(), (long) p.images(),
                d.trigger() == null ? null : (long) p.images(), null);
        Map<String, Object> quant = PtqStages.describe(req.schemeName(), req.config(), req.prepare(), req.calibration());
        RunProvenance prov = RunProvenance.current(o.started(), req.seed(), req);
        DriftDocument dd = new DriftDocument(DriftDocument.SCHEMA, "inspect-drift", o.modelInfo(), data, quant,
                List.of(p), verdict, o.timings(), prov);
        ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, "inspect-drift", o.modelInfo(), data, quant,
                null, Map.of(), null, o.timings(), Map.of("drift_images", p.images()), prov);
        return new DriftResult(p, verdict, dd, doc);
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
