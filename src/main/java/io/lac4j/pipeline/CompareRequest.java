package io.lac4j.pipeline;

import io.lac4j.defense.Defense;
import java.util.List;

/**
 * {@code lac4j compare}: every defense at every bit width with seeds {@code seed, seed + 1, …}
 * under one protocol ({@code protocol.bits} and {@code protocol.seed} are replaced per run).
 */
public record CompareRequest(DefenseProtocol protocol, List<Defense> defenses, List<Integer> bits, int seeds,
                             io.lac4j.scan.ScanConfig scan, List<Double> rangeSweep) {
    /** Without a scan. */
    public CompareRequest(DefenseProtocol protocol, List<Defense> defenses, List<Integer> bits, int seeds) {
        this(protocol, defenses, bits, seeds, null, null);
    }

    /** Without a range sweep. */
    public CompareRequest(DefenseProtocol protocol, List<Defense> defenses, List<Integer> bits, int seeds,
                          io.lac4j.scan.ScanConfig scan) {
        this(protocol, defenses, bits, seeds, scan, null);
    }

    public CompareRequest {
        rangeSweep = RangeSweep.checked(rangeSweep);
        if (protocol == null) {
            throw new IllegalArgumentException("compare: protocol must be set");
        }
        if (defenses == null || defenses.isEmpty()) {
            throw new IllegalArgumentException("--defenses: expected at least one defense, got none");
        }
        if (bits == null || bits.isEmpty()) {
            throw new IllegalArgumentException("--bits: expected at least one bit width, got none");
        }
        if (seeds <= 0) {
            throw new IllegalArgumentException("--seeds: expected > 0, got " + seeds);
        }
        for (int b : bits) {
            protocol.withBits(b);                       // validates each width up front, before hours of runs
        }
        defenses = List.copyOf(new java.util.LinkedHashSet<>(defenses));
        bits = List.copyOf(new java.util.LinkedHashSet<>(bits));
    }
}
