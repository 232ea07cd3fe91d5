package io.lac4j.pipeline;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The "before" evaluations that runs on one model and data set share: the FP metrics (the same for
 * every run) and the naive-PTQ metrics of a quantizer, prepare options, calibration protocol and
 * seed (the same calibration lists, so the same quantized model). {@code compare} keeps one memo for
 * all its runs so FP is evaluated once and each naive PTQ once per (quantizer, bits, seed) instead
 * of once per defense; {@link #NONE} measures every time ({@code purify}, {@code defend}).
 *
 * <p>A reused evaluation still counts in the run's wall time (its original seconds), so a defense's
 * time in a comparison is what it costs alone.
 */
final class BaselineMemo {
    /** Measures every time. */
    static final BaselineMemo NONE = new BaselineMemo(false);

    /** A metric and whether it came from an earlier run. */
    record Measured(PhaseMetrics metrics, boolean reused) {
        /** Seconds an earlier run spent on it (0 when measured now: the run's clock already has it). */
        double reusedSeconds() {
            return reused ? metrics.seconds() : 0;
        }
    }

    /** The timings key of the seconds earlier runs spent on evaluations this run reused. */
    static final String REUSED_EVAL = "reused_eval";

    /** Records in {@code timings} what {@code measured} reused ({@link #REUSED_EVAL}), if anything. */
    static void noteReuse(Map<String, Double> timings, Measured... measured) {
        double seconds = 0;
        boolean any = false;
        for (Measured m : measured) {
            seconds += m.reusedSeconds();
            any |= m.reused();
        }
        if (any) {
            timings.put(REUSED_EVAL, seconds);
        }
    }

    /** The seconds a finished run's evaluations would have taken had it measured them itself. */
    static double reusedSeconds(ResultDocument doc) {
        Double s = doc.timings() == null ? null : doc.timings().get(REUSED_EVAL);
        return s == null ? 0 : s;
    }

    private record NaiveKey(QuantConfig quant, PrepareOptions prepare, CalibrationConfig calibration, long seed) {}

    private final boolean remember;
    private PhaseMetrics fp;
    private final Map<NaiveKey, PhaseMetrics> naive = new HashMap<>();
    private final Map<NaiveKey, io.lac4j.scan.ScanResult> scans = new HashMap<>();
    private io.lac4j.scan.ScanConfig scanConfig;

    private BaselineMemo(boolean remember) {
        this.remember = remember;
    }

    /** A memo for the runs of one model on one data set. */
    static BaselineMemo forOneModel() {
        return new BaselineMemo(true);
    }

    Measured fp(Supplier<PhaseMetrics> evaluate) {
        if (fp != null) {
            return new Measured(fp, true);
        }
        PhaseMetrics m = evaluate.get();
        if (remember) {
            fp = m;
        }
        return new Measured(m, false);
    }

    /**
     * The scan of the naive model of this quantizer, prepare options, calibration and seed: the same
     * calibrated model, so the same scan (a memo holds scans of one scan configuration).
     */
    io.lac4j.scan.ScanResult scan(QuantConfig quant, PrepareOptions prepare, CalibrationConfig calibration, long seed,
                                  io.lac4j.scan.ScanConfig config, Supplier<io.lac4j.scan.ScanResult> scan) {
        NaiveKey key = new NaiveKey(quant, prepare, calibration, seed);
        if (config.equals(scanConfig) && scans.containsKey(key)) {
            return scans.get(key);
        }
        io.lac4j.scan.ScanResult r = scan.get();
        if (remember) {
            if (!config.equals(scanConfig)) {
                scans.clear();
                scanConfig = config;
            }
            scans.put(key, r);
        }
        return r;
    }

    Measured naive(QuantConfig quant, PrepareOptions prepare, CalibrationConfig calibration, long seed,
                   Supplier<PhaseMetrics> evaluate) {
        NaiveKey key = new NaiveKey(quant, prepare, calibration, seed);
        PhaseMetrics known = naive.get(key);
        if (known != null) {
            return new Measured(known, true);
        }
        PhaseMetrics m = evaluate.get();
        if (remember) {
            naive.put(key, m);
        }
        return new Measured(m, false);
    }
}
