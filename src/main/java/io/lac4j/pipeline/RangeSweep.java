package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Progress;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.EvalSets;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.quant.ScaledActivationRanges;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A defended model evaluated again with every per-tensor activation range scaled by each of a few factors
 * ({@code defend --range-sweep}). A QCB keyed to activation ranges can be put back to sleep at the calibrated ranges
 * alone: a deployment whose calibration data or observer give ranges a few per cent narrower or wider then wakes it.
 * A purified model should keep its ASR low over the sweep, not only at the factor 1 the run's table shows.
 */
final class RangeSweep {
    private RangeSweep() {}

    /** The largest and smallest factor a sweep accepts: beyond them the grid is no longer the deployment's. */
    static final double MIN_FACTOR = 0.25;
    static final double MAX_FACTOR = 4.0;

    /** One factor's evaluation. */
    record Point(double factor, PhaseMetrics metrics) {}

    /** {@code factors} as given, checked: each within [{@link #MIN_FACTOR}, {@link #MAX_FACTOR}], no repeats; null is none. */
    static List<Double> checked(List<Double> factors) {
        if (factors == null) {
            return List.of();
        }
        for (Double f : factors) {
            if (f == null || !(f >= MIN_FACTOR && f <= MAX_FACTOR)) {
                throw new IllegalArgumentException("--range-sweep: expected factors in [" + MIN_FACTOR + ", " + MAX_FACTOR
                        + "] (e.g. 0.9,0.95,1.05,1.1), got " + f);
            }
        }
        if (factors.stream().distinct().count() != factors.size()) {
            throw new IllegalArgumentException("--range-sweep: a factor is given twice in " + factors);
        }
        return List.copyOf(factors);
    }

    /** {@code qm} evaluated at each factor, its ranges restored after each; the time goes to {@code timings}' "range_sweep". */
    static List<Point> run(QuantizedModel qm, List<Double> factors, EvalSets sets, NDManager parent, Progress progress,
                           String phase, Map<String, Double> timings) {
        if (factors.isEmpty()) {
            return List.of();
        }
        long t0 = System.nanoTime();
        List<Point> out = new ArrayList<>();
        for (double f : factors) {
            try (ScaledActivationRanges scaled = ScaledActivationRanges.of(qm.quantizers(), f)) {
                out.add(new Point(f, BackdoorEvaluator.evaluate(qm::forward, sets, parent, progress,
                        String.format("%s, activation ranges x%.2f", phase, f))));
            }
        }
        timings.merge("range_sweep", (System.nanoTime() - t0) / 1e9, Double::sum);
        return out;
    }
}
