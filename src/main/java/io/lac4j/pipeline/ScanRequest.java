package io.lac4j.pipeline;

import io.lac4j.scan.ScanConfig;
import java.nio.file.Path;

/**
 * A trigger-free scan of a model's deployment: the protocol's model, data (its calibration images are
 * the only images used), deployment, bits and seed.
 *
 * @param outputDir where the recovered pattern's PNG goes (null: nothing written)
 */
public record ScanRequest(DefenseProtocol protocol, ScanConfig config, Path outputDir) {
    public ScanRequest {
        if (protocol == null || config == null) {
            throw new IllegalArgumentException("scan: protocol and scan settings must be set");
        }
    }
}
