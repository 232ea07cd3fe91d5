package io.lac4j.pipeline;

import io.lac4j.quant.QuantizedModel;
import java.util.Map;
import java.util.function.Supplier;

/** A quantized copy calibrated on first use; its calibration time goes to the run's timings. */
final class CalibratedCopy implements AutoCloseable {
    private final Supplier<QuantizedModel> make;
    private final double extraSeconds;
    private final Map<String, Double> timings;
    private QuantizedModel model;
    private double seconds;

    CalibratedCopy(Supplier<QuantizedModel> make, double extraSeconds, Map<String, Double> timings) {
        this.make = make;
        this.extraSeconds = extraSeconds;
        this.timings = timings;
    }

    QuantizedModel get() {
        if (model == null) {
            long t0 = System.nanoTime();
            model = make.get();
            seconds = extraSeconds + (System.nanoTime() - t0) / 1e9;
            timings.merge("calibration", seconds, Double::sum);
        }
        return model;
    }

    boolean made() {
        return model != null;
    }

    double seconds() {
        return seconds;
    }

    boolean holds(QuantizedModel qm) {
        return model == qm;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }
}
