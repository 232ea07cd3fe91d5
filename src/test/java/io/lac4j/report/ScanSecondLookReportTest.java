package io.lac4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lac4j.io.Json;
import io.lac4j.pipeline.ResultDocument;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A scan's second look is written to results.json (and validates), read back, and said in both reports, with whether
 * the refined pattern met the QCB rule.
 */
class ScanSecondLookReportTest {
    static ResultDocument.ScanSection section(String verdict, String kind, Integer target, ResultDocument.ScanRefined look) {
        ResultDocument.ScanSection base = ScanFpLeanReportTest.section(null);
        boolean confirmed = target != null;
        return new ResultDocument.ScanSection(verdict, kind, target, null, look.cls(), base.classes(), confirmed ? look : null,
                base.optimisationImages(), base.heldOutImages(), base.residual(), null,
                Map.of("min_flip", 0.5, "steps", 40, "second_look", true), 70.0, null, look);
    }

    @Test
    void aConfirmingLookIsStoredValidatedAndSaidInBothReports() throws Exception {
        ResultDocument.ScanRefined look = new ResultDocument.ScanRefined(7, 83.0, 12.2, 3.9, 60, 50);
        ObjectNode json = ScanFpLeanReportTest.withScan(section("QCB suspected (target 7)", "qcb_suspected", 7, look));
        assertThat(json.path("scan").path("second_look").path("flip_quantized").asDouble()).isEqualTo(83.0);
        assertThat(ResultSchema.validate(json)).isEmpty();
        ResultDocument doc = Json.mapper().treeToValue(json, ResultDocument.class);
        assertThat(doc.scan().secondLook()).isEqualTo(look);
        String note = doc.scan().secondLookNote();
        assertThat(note).isEqualTo("Second look at class 7 (it stands out, but its search pattern fell short of the QCB rule):"
                + " refined 60 steps, it flips 83.0 % of the quantized model's predictions and 12.2 % of the FP model's, which"
                + " meets the rule.");
        assertThat(MarkdownReport.render(ReportInput.of(doc))).contains(note);
        assertThat(HtmlReport.render(ReportInput.of(doc))).contains("<p>" + HtmlReport.esc(note) + "</p>");

        ObjectNode noSteps = ScanFpLeanReportTest.withScan(section("QCB suspected (target 7)", "qcb_suspected", 7, look));
        ((ObjectNode) noSteps.path("scan").path("second_look")).remove("steps");
        assertThat(ResultSchema.validate(noSteps)).isNotEmpty();
    }

    @Test
    void aLookThatFallsShortLeavesTheVerdictAndSaysSo() throws Exception {
        ResultDocument.ScanRefined look = new ResultDocument.ScanRefined(5, 36.5, 11.2, 3.9, 60, 60);
        ResultDocument doc = Json.mapper().treeToValue(
                ScanFpLeanReportTest.withScan(section("no QCB found", "no_qcb", null, look)), ResultDocument.class);
        assertThat(doc.scan().secondLookNote()).endsWith("36.5 % of the quantized model's predictions and 11.2 % of the FP"
                + " model's, which does not meet the rule either.");
        assertThat(MarkdownReport.render(ReportInput.of(doc))).contains("which does not meet the rule either");
        ResultDocument plain = Json.mapper().treeToValue(ScanFpLeanReportTest.withScan(ScanFpLeanReportTest.section(null)),
                ResultDocument.class);
        assertThat(plain.scan().secondLookNote()).isNull();
        assertThat(MarkdownReport.render(ReportInput.of(plain))).doesNotContain("Second look");
    }
}
