package io.lac4j.pipeline;

import io.lac4j.eval.PhaseMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** Maps pipeline records onto the result-file contract. */
final class Results {
    private Results() {}

    static ResultDocument.Phase phase(PhaseMetrics p) {
        return new ResultDocument.Phase(round(p.cda()), round(p.asrAll()), round(p.asrNt()),
                round(p.clean().top5()), p.clean().n(), round(p.seconds()));
    }

    static ResultDocument.ModelInfo model(LoadedModel m) {
        return new ResultDocument.ModelInfo(m.path(), m.sha256(), m.spec().describe(), m.inference(), m.report().describe());
    }

    static ResultDocument.DataInfo data(LoadedData d, PhaseMetrics p) {
        return new ResultDocument.DataInfo(d.splits().name(), d.location(), d.triggerName(),
                d.trigger() == null ? null : d.target(), p.clean().n(),
                p.asr() == null ? null : p.asr().n(), p.asrNoTarget() == null ? null : p.asrNoTarget().n());
    }

    /**
     * The result record of a run: phases fp, naive_ptq and each defended phase (those the run
     * measured), DER naive → the last defended phase.
     *
     * @param config what provenance records as the run's configuration
     */
    static ResultDocument document(String command, DefendedRun.Outcome o, Map<String, Object> quantization, String method,
                                   Map<String, Object> settings, Object config) {
        Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
        if (o.fp() != null) {
            phases.put("fp", phase(o.fp()));
        }
        if (o.naive() != null) {
            phases.put("naive_ptq", phase(o.naive()));
        }
        for (DefendedRun.Phase p : o.phases()) {
            phases.put(p.defense().phase(), phase(p.metrics()));
        }
        Double der = o.phases().isEmpty() ? null : Defending.der(o.naive(), o.defended());
        Map<String, java.util.List<ResultDocument.RangePoint>> sweep = new LinkedHashMap<>();
        for (DefendedRun.Phase p : o.phases()) {
            if (!p.rangeSweep().isEmpty()) {
                sweep.put(p.defense().phase(), p.rangeSweep().stream().map(s -> new ResultDocument.RangePoint(s.factor(),
                        round(s.metrics().cda()), round(s.metrics().asrAll()), round(s.metrics().asrNt()))).toList());
            }
        }
        Map<String, ResultDocument.Requantized> requantized = new LinkedHashMap<>();
        for (DefendedRun.Phase p : o.phases()) {
            Requantization.Result r = p.requantized();
            if (r != null) {
                requantized.put(p.defense().phase(), new ResultDocument.Requantized(round(r.metrics().cda()),
                        round(r.metrics().asrAll()), round(r.metrics().asrNt()), round(r.scaleRatioMin()),
                        round(r.scaleRatioMedian()), round(r.scaleRatioMax())));
            }
        }
        return new ResultDocument(ResultDocument.SCHEMA, command, o.modelInfo(), o.fp() == null ? null : data(o.data(), o.fp()),
                quantization, method, phases, der, o.timings(), settings,
                RunProvenance.current(o.started(), o.seed(), config), o.onnxChecks(),
                o.scan() == null ? null : o.scan().section(), sweep, requantized);
    }

    /** Four decimals: enough for 0.01 % comparisons, no float noise in the file. */
    static Double round(Double v) {
        return v == null ? null : Math.round(v * 1e4) / 1e4;
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
