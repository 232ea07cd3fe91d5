package io.lac4j.pipeline;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;

/**
 * What {@link Drift#inspect} compares: a checkpoint, quantized and calibrated as in {@code
 * quantize}, against its FP self on the first {@code images} test images (clean, and triggered
 * when {@code data} names a trigger).
 *
 * @param images test images each drift value averages over (CLI default 512)
 */
public record DriftRequest(ModelSource model, DataSource data, String schemeName, QuantConfig config,
                           PrepareOptions prepare, CalibrationConfig calibration, long seed, int images) {
    public DriftRequest {
        if (config == null) {
            throw new IllegalArgumentException("a quantization config is required");
        }
        if (images <= 0) {
            throw new IllegalArgumentException("--images: expected > 0, got " + images);
        }
        prepare = prepare == null ? PrepareOptions.ACADEMIC : prepare;
        calibration = calibration == null ? CalibrationConfig.LAC : calibration;
    }
}
