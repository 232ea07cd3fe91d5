package io.lac4j.pipeline;

import io.lac4j.data.CalibrationConfig;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything {@link Pipeline#purify} needs, resolved from the reference's YAML keys (LAC.md §2).
 *
 * @param advanced {@code quantize_type: advanced_ptq} (LAC) or false for {@code naive_ptq}
 * @param method {@code lac} (faithful) or an improved method name
 * @param outputDir the run folder (purified model, unit logs, state for --resume); null: nothing written
 * @param resume continue a run whose state is in {@code outputDir}
 * @param settings the resolved configuration, recorded in results.json
 * @param driftImages images per drift profile (before and after purification); 0 skips them
 * @param scan the trigger-free scan of the naive model and its residual on the purified one (null: no scan)
 */
public record PurifyRequest(ModelSource model, DataSource data, QuantConfig quant, PrepareOptions prepare,
                            CalibrationConfig calibration, boolean advanced, ReconstructionConfig reconstruction,
                            PdaConfig pda, String method, long seed, Path outputDir, boolean resume,
                            Map<String, Object> settings, int driftImages, io.lac4j.scan.ScanConfig scan) {
    public PurifyRequest {
        settings = settings == null ? Map.of() : settings;
        method = method == null ? "lac" : method;
    }

    /** Without a scan. */
    public PurifyRequest(ModelSource model, DataSource data, QuantConfig quant, PrepareOptions prepare,
                         CalibrationConfig calibration, boolean advanced, ReconstructionConfig reconstruction,
                         PdaConfig pda, String method, long seed, Path outputDir, boolean resume,
                         Map<String, Object> settings, int driftImages) {
        this(model, data, quant, prepare, calibration, advanced, reconstruction, pda, method, seed, outputDir, resume, settings,
                driftImages, null);
    }
}
