package io.lac4j.report;

import io.lac4j.eval.DriftProfile;
import io.lac4j.pipeline.ResultDocument;
import java.util.List;

/**
 * Everything a report shows: the result document (written as {@code results.json} too), the
 * per-unit reconstruction loss curves of a purify run, and drift profiles (e.g. {@code naive_ptq}
 * and {@code purified}). Curves and drift are optional: pass empty lists (or null).
 */
public record ReportInput(ResultDocument document, List<UnitCurve> curves, List<DriftProfile> drift) {
    public ReportInput {
        if (document == null) {
            throw new IllegalArgumentException("a report needs a result document");
        }
        curves = curves == null ? List.of() : List.copyOf(curves);
        drift = drift == null ? List.of() : List.copyOf(drift);
    }

    /** A report of the document alone. */
    public static ReportInput of(ResultDocument document) {
        return new ReportInput(document, List.of(), List.of());
    }

    /** A title: the command and the checkpoint. */
    public String title() {
        String ck = document.model() == null || document.model().checkpoint() == null ? "" : document.model().checkpoint();
        int slash = Math.max(ck.lastIndexOf('/'), ck.lastIndexOf('\\'));
        return "lac4j " + (document.command() == null ? "report" : document.command())
                + (ck.isEmpty() ? "" : " — " + ck.substring(slash + 1));
    }
}
