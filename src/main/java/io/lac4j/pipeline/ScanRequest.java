package io.lac4j.pipeline;

import io.lac4j.scan.ScanConfig;
import java.nio.file.Path;

/**
 * A trigger-free scan of a model's deployment: the protocol's model, data (its calibration images are
 * the only images used), deployment, bits and seed.
 *
 * @param outputDir where the recovered pattern's PNG goes (null: nothing written)
 * @param run a purify or defend run folder whose defended model is scanned instead of the protocol's
 *     naive deployment (null: scan the naive deployment); the protocol's model is then the FP model the
 *     run defended
 */
public record ScanRequest(DefenseProtocol protocol, ScanConfig config, Path outputDir, Path run) {
    public ScanRequest {
        if (protocol == null || config == null) {
            throw new IllegalArgumentException("scan: protocol and scan settings must be set");
        }
    }

    public ScanRequest(DefenseProtocol protocol, ScanConfig config, Path outputDir) {
        this(protocol, config, outputDir, null);
    }
}
