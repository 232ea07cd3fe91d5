package io.lac4j.cli;

import io.lac4j.pipeline.ResultDocument;
import java.io.PrintWriter;
import java.util.Map;

/** The console result table every evaluating command prints on stdout. */
final class Tables {
    private Tables() {}

    static void phases(PrintWriter out, Map<String, ResultDocument.Phase> phases, Double der) {
        phases(out, phases, der, "purified");
    }

    /** The table with DER labelled naive_ptq → {@code after}. */
    static void phases(PrintWriter out, Map<String, ResultDocument.Phase> phases, Double der, String after) {
        out.printf("%-12s %8s %8s %8s %8s %7s %8s%n", "phase", "CDA", "ASR", "ASR-nt", "top-5", "n", "time");
        for (Map.Entry<String, ResultDocument.Phase> e : phases.entrySet()) {
            ResultDocument.Phase p = e.getValue();
            out.printf("%-12s %8.2f %8s %8s %8.2f %7d %8s%n", e.getKey(), p.cda(), pct(p.asr()), pct(p.asrNoTarget()),
                    p.top5(), p.n(), p.seconds() == null ? "" : String.format("%.1fs", p.seconds()));
        }
        if (der != null) {
            out.printf("DER (naive_ptq -> %s): %.2f%n", after, der);
        }
        out.flush();
    }

    /** One line per exported phase checked in ONNX Runtime: its metrics there and how many predictions differ. */
    static void onnxChecks(PrintWriter out, Map<String, ResultDocument.OnnxCheck> checks) {
        if (checks == null) {
            return;
        }
        for (Map.Entry<String, ResultDocument.OnnxCheck> e : checks.entrySet()) {
            ResultDocument.OnnxCheck c = e.getValue();
            ResultDocument.Phase p = c.onnxRuntime();
            int n = c.images().values().stream().mapToInt(Integer::intValue).sum();
            int differ = c.disagreements().values().stream().mapToInt(Integer::intValue).sum();
            out.printf("%s in %s (%s): CDA %.2f  ASR %s  ASR-nt %s; largest difference %.2f points; %d of %d predictions differ%n",
                    c.file(), c.runtime(), e.getKey(), p.cda(), pct(p.asr()), pct(p.asrNoTarget()), c.largestDifference(), differ, n);
        }
        out.flush();
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format("%.2f", v);
    }
}
