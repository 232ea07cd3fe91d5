package io.lac4j.report;

import io.lac4j.io.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a run's three report files into one folder, each through a temporary file and an
 * atomic move: {@code results.json}, {@code report.md}, {@code report.html}. Everything is
 * rendered before the first file is written, so a rendering failure writes nothing.
 */
public final class ReportWriter {
    public static final String RESULTS = "results.json";
    public static final String MARKDOWN = "report.md";
    public static final String HTML = "report.html";

    private ReportWriter() {}

    /** Renders and writes all three files; returns their paths in the order above. */
    public static List<Path> writeAll(Path dir, ReportInput input) throws IOException {
        String json = ResultFile.toJson(input.document()) + "\n";
        String md = MarkdownReport.render(input);
        String html = HtmlReport.render(input);
        Path results = dir.resolve(RESULTS);
        Path markdown = dir.resolve(MARKDOWN);
        Path page = dir.resolve(HTML);
        AtomicFile.writeString(results, json);
        AtomicFile.writeString(markdown, md);
        AtomicFile.writeString(page, html);
        return List.of(results, markdown, page);
    }
}
