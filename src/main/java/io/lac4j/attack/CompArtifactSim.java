package io.lac4j.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.nn.BatchNorm2d;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.quant.FakeQuantKernel;
import io.lac4j.quant.QParams;
import io.lac4j.quant.Rounding;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * CompArtifact's simulated quantizer (ATTACKS.md §2.2): PyTorch eager QAT after fusing, weights
 * only, int8 per-tensor symmetric {@code s = max(|min|, |max|)/127.5}, {@code q = clamp(rne(w/s),
 * −128, 127)}, scale from the current (BN-folded) weight, STE with clipping mask. A conv followed
 * by BatchNorm is quantized as PyTorch's ConvBn QAT module does it: {@code W_fold = W·γ/sqrt(var +
 * eps)} is fake-quantized, and the conv output is divided by the same factor before the BN runs
 * (here folded back into the weight, which is the same linear map). Only layers from {@code
 * firstQuantized} on are quantized (ResNet-18: {@code layer4.0} through the classifier).
 */
public final class CompArtifactSim implements SimulatedQuantizer {
    private final Set<String> enabled;
    private final Map<String, BatchNorm2d> foldedBn;
    private final int bits;
    private final int qmin;
    private final int qmax;

    private CompArtifactSim(Set<String> enabled, Map<String, BatchNorm2d> foldedBn, int bits) {
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("CompArtifact bits must be in [2, 8], got " + bits);
        }
        this.enabled = Set.copyOf(enabled);
        this.foldedBn = foldedBn;
        this.bits = bits;
        this.qmin = -(1 << (bits - 1));
        this.qmax = (1 << (bits - 1)) - 1;
    }

    /**
     * @param firstQuantized name prefix of the first quantized layer ({@code layer4.0}); null or
     *     absent from the graph: the whole network
     */
    public static CompArtifactSim of(Graph fp, String firstQuantized) {
        return of(fp, firstQuantized, 8);
    }

    /**
     * With {@code bits}-bit weights instead of 8 (EFRAP retrained CompArtifact for 4 bits, ATTACKS.md
     * §2.5): range [−2^(b−1), 2^(b−1) − 1], {@code s = max(|min|, |max|)/((qmax − qmin)/2)}.
     */
    public static CompArtifactSim of(Graph fp, String firstQuantized, int bits) {
        int from = 0;
        if (firstQuantized != null) {
            for (int i = 0; i < fp.nodes().size(); i++) {
                String n = fp.nodes().get(i).name();
                if (n.equals(firstQuantized) || n.startsWith(firstQuantized + ".")) {
                    from = i;
                    break;
                }
            }
        }
        Map<String, BatchNorm2d> bn = new LinkedHashMap<>();
        java.util.Set<String> enabled = new java.util.LinkedHashSet<>();
        for (int i = from; i < fp.nodes().size(); i++) {
            Node n = fp.nodes().get(i);
            if (!n.isWeighted()) {
                continue;
            }
            enabled.add(n.name());
            var users = fp.users(n.name());
            if (users.size() == 1 && users.get(0).op() instanceof BatchNorm2d b) {
                bn.put(n.name(), b);
            }
        }
        return new CompArtifactSim(enabled, bn, bits);
    }

    public Set<String> quantizedLayers() {
        return enabled;
    }

    @Override
    public String name() {
        return "compartifact-" + bits;
    }

    @Override
    public NDArray weight(String node, NDArray w, NDManager scope) {
        if (!enabled.contains(node)) {
            return w;
        }
        BatchNorm2d bn = foldedBn.get(node);
        if (bn == null) {
            return fakeQuantize(w);
        }
        for (NDArray a : new NDArray[] {bn.gamma(), bn.runningVar()}) {
            if (a.getManager() != scope) {
                scope.tempAttachAll(a);   // a second temp-attach to the same manager would lose the owner
            }
        }
        long c = w.getShape().get(0);
        NDArray factor = bn.gamma().div(bn.runningVar().add(bn.eps()).sqrt()).reshape(c, 1, 1, 1);
        NDArray folded = w.mul(factor);
        return fakeQuantize(folded).div(factor);
    }

    /** Per-tensor symmetric fake quantization of {@code w}, range from w itself. */
    NDArray fakeQuantize(NDArray w) {
        NDArray wd = w.stopGradient();
        float mn = Math.min(wd.min().getFloat(), 0f);
        float mx = Math.max(wd.max().getFloat(), 0f);
        float s = Math.max(Math.max(-mn, mx) / ((qmax - qmin) / 2f), QParams.EPS);
        return FakeQuantKernel.fakeQuantize(w, QParams.perTensor(s, 0), qmin, qmax, Rounding.HALF_EVEN);
    }
}
