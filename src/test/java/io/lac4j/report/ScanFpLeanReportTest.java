package io.lac4j.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lac4j.io.Json;
import io.lac4j.pipeline.ResultDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A scan that finds no QCB but an FP checkpoint leaning to a class its deployment does not follow: the lean is
 * written to results.json (and validates), read back, and said in both reports.
 */
public class ScanFpLeanReportTest {
    /** A no-QCB scan section with {@code lean} (or none), class 5 the FP checkpoint's lean. */
    public static ResultDocument.ScanSection section(ResultDocument.ScanFpLean lean) {
        List<ResultDocument.ScanClass> classes = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            classes.add(new ResultDocument.ScanClass(c, 2.0, 0.1, 8.0, 6.0, c == 5 ? 93.1 : 20.0, c == 5 ? 10.3 : 15.0,
                    c == 5 ? 3.4 : 0.0, 4.0));
        }
        return new ResultDocument.ScanSection("no QCB found", "no_qcb", null, lean, 5, classes,
                null, 768, 256, Map.of("naive_ptq", 1.3), null, Map.of("min_flip", 0.5, "steps", 40), 70.0, null);
    }

    static ObjectNode withScan(ResultDocument.ScanSection scan) {
        ObjectNode json = Json.mapper().valueToTree(ResultSchemaTest.full());
        json.put("command", "scan");
        json.set("scan", Json.mapper().valueToTree(scan));
        return json;
    }

    @Test
    void theLeanIsWrittenValidatesAndReadsBack() throws Exception {
        ObjectNode json = withScan(section(new ResultDocument.ScanFpLean(5, 93.1, 10.3)));
        assertThat(json.path("scan").path("fp_lean").path("class").asInt()).isEqualTo(5);
        assertThat(json.path("scan").path("fp_lean").path("flip_quantized").asDouble()).isEqualTo(10.3);
        assertThat(json.path("scan").has("fpLeanNote")).as("the sentence is derived, not stored").isFalse();
        List<String> keys = new ArrayList<>();
        json.path("scan").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("right after the verdict's kind and target").startsWith("verdict", "kind", "fp_lean", "suspect");
        assertThat(ResultSchema.validate(json)).isEmpty();
        ResultDocument back = Json.mapper().treeToValue(json, ResultDocument.class);
        assertThat(back.scan().fpLean()).isEqualTo(new ResultDocument.ScanFpLean(5, 93.1, 10.3));

        ObjectNode noClass = withScan(section(new ResultDocument.ScanFpLean(5, 93.1, 10.3)));
        ((ObjectNode) noClass.path("scan").path("fp_lean")).remove("class");
        assertThat(ResultSchema.validate(noClass)).isNotEmpty();
        ObjectNode withoutLean = withScan(section(null));
        assertThat(withoutLean.path("scan").has("fp_lean")).isFalse();
        assertThat(ResultSchema.validate(withoutLean)).isEmpty();
    }

    @Test
    void bothReportsSayTheLeanNextToTheVerdict() throws Exception {
        ResultDocument doc = Json.mapper().treeToValue(withScan(section(new ResultDocument.ScanFpLean(5, 93.1, 10.3))),
                ResultDocument.class);
        String note = doc.scan().fpLeanNote();
        assertThat(note).isEqualTo("The FP checkpoint leans to class 5: a pattern found against the FP model alone flips 93.1 % of"
                + " its predictions, as an FP backdoor's would, but only 10.3 % of the scanned quantized model's (a finding needs"
                + " 50 %), so the deployment does not follow it.");
        assertThat(MarkdownReport.render(ReportInput.of(doc))).contains("**no QCB found**\n\n" + note);
        assertThat(HtmlReport.render(ReportInput.of(doc))).contains("<p>" + HtmlReport.esc(note) + "</p>");
        ResultDocument plain = Json.mapper().treeToValue(withScan(section(null)), ResultDocument.class);
        assertThat(plain.scan().fpLeanNote()).isNull();
        assertThat(MarkdownReport.render(ReportInput.of(plain))).doesNotContain("leans to class");
    }
}
