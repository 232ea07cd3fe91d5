package io.lac4j.pipeline;

import io.lac4j.defense.Defense;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.ptq.EfrapConfig;
import java.nio.file.Path;

/**
 * One defense under a protocol.
 *
 * @param efrap EFRAP's loss weights and ω ({@link EfrapConfig#EFRAP}, the released code, by default)
 * @param pruneRatio fraction of the last conv layer's channels Fine-Pruning removes (default 0.2)
 * @param outputDir where the defended model and unit curves go; null writes nothing
 * @param scan the trigger-free scan of the naive model and its residual on the defended one (null: no scan)
 * @param rangeSweep factors the defended model's activation ranges are scaled by for a second look (empty: none)
 * @param requantizeCheck also quantize the exported checkpoint again and evaluate it (needs {@code outputDir})
 */
public record DefendRequest(Defense defense, DefenseProtocol protocol, EfrapConfig efrap, double pruneRatio, Path outputDir,
                            io.lac4j.scan.ScanConfig scan, java.util.List<Double> rangeSweep, boolean requantizeCheck) {
    public static final double DEFAULT_PRUNE_RATIO = DefenseOptions.DEFAULT_PRUNE_RATIO;

    public DefendRequest {
        if (defense == null || protocol == null) {
            throw new IllegalArgumentException("defend: defense and protocol must be set");
        }
        efrap = efrap == null ? EfrapConfig.EFRAP : efrap;
        if (!(pruneRatio >= 0 && pruneRatio < 1)) {
            throw new IllegalArgumentException("--prune-ratio: expected in [0, 1), got " + pruneRatio);
        }
        rangeSweep = RangeSweep.checked(rangeSweep);
        if (requantizeCheck && outputDir == null) {
            throw new IllegalArgumentException("--requantize-check: needs an output folder for the exported checkpoint");
        }
    }

    /** Without the requantization check. */
    public DefendRequest(Defense defense, DefenseProtocol protocol, EfrapConfig efrap, double pruneRatio, Path outputDir,
                         io.lac4j.scan.ScanConfig scan, java.util.List<Double> rangeSweep) {
        this(defense, protocol, efrap, pruneRatio, outputDir, scan, rangeSweep, false);
    }

    public DefendRequest(Defense defense, DefenseProtocol protocol) {
        this(defense, protocol, EfrapConfig.EFRAP, DEFAULT_PRUNE_RATIO, null, null, null);
    }

    /** Without a range sweep. */
    public DefendRequest(Defense defense, DefenseProtocol protocol, EfrapConfig efrap, double pruneRatio, Path outputDir,
                         io.lac4j.scan.ScanConfig scan) {
        this(defense, protocol, efrap, pruneRatio, outputDir, scan, null);
    }

    /** Without a scan. */
    public DefendRequest(Defense defense, DefenseProtocol protocol, EfrapConfig efrap, double pruneRatio, Path outputDir) {
        this(defense, protocol, efrap, pruneRatio, outputDir, null, null);
    }
}
