package io.lac4j.pipeline;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import java.nio.file.Path;

/**
 * Naive PTQ of a checkpoint: which quantization (a preset name such as {@code academic-w4a4}, or
 * a resolved config), how to calibrate (LAC.md §3.2/§7), and optionally where to export.
 *
 * @param export a .pth with the fake-quantized weights; a {@code .safetensors} with integer weights,
 *     scales and zero points is written next to it; null for none
 * @param saveCalibration a .safetensors receiving the activation-calibration batches exactly as
 *     used ({@code activation_calibration}, {@code [n, C, H, W]}, batches of the configured size in
 *     order; the first batch also calibrates the weights) and their source indices; null for none
 * @param driftImages images for the FP-vs-quantized activation-drift profile (0 = none)
 * @param exportOnnx the quantized model as ONNX QDQ on lac4j's grid (opset 21); null for none
 */
public record QuantizeRequest(ModelSource model, DataSource data, String schemeName, QuantConfig config,
                              PrepareOptions prepare, CalibrationConfig calibration, long seed, Path export,
                              Path saveCalibration, int driftImages, Path exportOnnx) {
    public QuantizeRequest {
        if (config == null) {
            throw new IllegalArgumentException("a quantization config is required");
        }
        prepare = prepare == null ? PrepareOptions.ACADEMIC : prepare;
        calibration = calibration == null ? CalibrationConfig.LAC : calibration;
    }

    public QuantizeRequest(ModelSource model, DataSource data, String schemeName, QuantConfig config,
                           PrepareOptions prepare, CalibrationConfig calibration, long seed, Path export) {
        this(model, data, schemeName, config, prepare, calibration, seed, export, null, 0, null);
    }

    public QuantizeRequest(ModelSource model, DataSource data, String schemeName, QuantConfig config,
                           PrepareOptions prepare, CalibrationConfig calibration, long seed, Path export,
                           Path saveCalibration, int driftImages) {
        this(model, data, schemeName, config, prepare, calibration, seed, export, saveCalibration, driftImages, null);
    }
}
