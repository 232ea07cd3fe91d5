package io.lac4j.pipeline;

import io.lac4j.eval.PhaseMetrics;

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

    /** Four decimals: enough for 0.01 % comparisons, no float noise in the file. */
    static Double round(Double v) {
        return v == null ? null : Math.round(v * 1e4) / 1e4;
    }

    static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
