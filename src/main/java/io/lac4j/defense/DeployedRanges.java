package io.lac4j.defense;

import io.lac4j.nn.Node;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.LearnableActQuantizer;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantizedModel;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every quantizer's range as the deployment calibrated it, kept so that layers a defense leaves frozen can get theirs
 * back without being calibrated again: frozen weights on the same activation batches give the same ranges, which a
 * fresh calibration of those layers would only recompute.
 */
final class DeployedRanges {
    private final Map<FakeQuantizer, QParams> ranges;

    private DeployedRanges(Map<FakeQuantizer, QParams> ranges) {
        this.ranges = ranges;
    }

    /**
     * The current ranges of {@code qm}'s quantizers, or null when one of them keeps more than its range (a learnable
     * quantizer copies observed ranges into arrays of its own), so that setting the range back would not be enough.
     */
    static DeployedRanges of(QuantizedModel qm) {
        Map<FakeQuantizer, QParams> ranges = new IdentityHashMap<>();
        for (FakeQuantizer q : qm.quantizers()) {
            if (q instanceof LearnableActQuantizer) {
                return null;
            }
            ranges.put(q, q.qparams());
        }
        return new DeployedRanges(ranges);
    }

    /** Sets the kept range back on every quantizer of {@code qm} that belongs to no node of {@code except}. */
    void restoreOutside(Collection<Node> except, QuantizedModel qm) {
        Set<String> skip = except.stream().map(Node::name).collect(Collectors.toSet());
        restore(qm.weightQuantizers(), skip);
        restore(qm.activationQuantizers(), skip);
    }

    private void restore(Map<String, FakeQuantizer> byNode, Set<String> skip) {
        byNode.forEach((node, q) -> {
            if (!skip.contains(node)) {
                QParams kept = ranges.get(q);
                if (kept == null) {
                    throw new IllegalStateException("deployed ranges: no kept range for the quantizer of '" + node + "'");
                }
                q.setQParams(kept);
            }
        });
    }
}
