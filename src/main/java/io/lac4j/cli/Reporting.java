package io.lac4j.cli;

import io.lac4j.eval.DriftProfile;
import io.lac4j.pipeline.ResultDocument;
import io.lac4j.ptq.UnitReport;
import io.lac4j.report.ReportInput;
import io.lac4j.report.UnitCurve;
import java.util.List;

/** Maps pipeline records onto the report's input ({@code report} must not see {@code ptq}, so {@code cli} does it). */
public final class Reporting {
    private Reporting() {}

    /** One loss curve per reconstructed unit, in unit order. */
    public static List<UnitCurve> curves(List<UnitReport> units) {
        return units.stream().map(u -> new UnitCurve(u.name(), u.losses())).toList();
    }

    /** What {@code ReportWriter.writeAll} needs for a purify run; {@code units} and {@code drift} may be empty. */
    public static ReportInput input(ResultDocument document, List<UnitReport> units, List<DriftProfile> drift) {
        return new ReportInput(document, units == null ? List.of() : curves(units), drift);
    }
}
