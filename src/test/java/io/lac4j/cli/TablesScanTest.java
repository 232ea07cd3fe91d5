package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lac4j.pipeline.ResultDocument;
import io.lac4j.report.ScanFpLeanReportTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The terminal's scan table: the verdict line, and the FP checkpoint's lean right under it when the scan found one. */
class TablesScanTest {
    static String print(ResultDocument.ScanSection s) {
        StringWriter w = new StringWriter();
        Tables.scan(new PrintWriter(w), s);
        return w.toString();
    }

    @Test
    void aLeanOfTheFpCheckpointIsSaidUnderTheVerdict() {
        ResultDocument.ScanSection s = ScanFpLeanReportTest.section(new ResultDocument.ScanFpLean(5, 93.1, 10.3));
        String out = print(s);
        assertThat(out).contains("verdict: no QCB found" + System.lineSeparator() + "note: " + s.fpLeanNote());
        assertThat(out.lines().filter(l -> l.matches("\\s*\\d+ .*")).count()).isEqualTo(10);
    }

    @Test
    void withoutALeanTheVerdictIsTheLastLine() {
        String out = print(ScanFpLeanReportTest.section(null));
        assertThat(out.strip()).endsWith("verdict: no QCB found");
        assertThat(out).doesNotContain("note:", "leans to");
    }
}
