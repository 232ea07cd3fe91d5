package io.lac4j.quant;

import java.util.ArrayList;
import java.util.List;

/**
 * Every per-tensor activation quantizer's scale multiplied by one factor, until {@link #close()} puts the
 * calibrated (scale, zero point) back: the model as a deployment whose calibration found ranges that much wider
 * ({@code factor > 1}) or narrower sees it. Zero points, weight quantizers and per-channel quantizers are left
 * alone. Used to ask whether a purified model stays purified when the ranges move a little.
 */
public final class ScaledActivationRanges implements AutoCloseable {
    private final List<FakeQuantizer> touched = new ArrayList<>();
    private final List<QParams> saved = new ArrayList<>();

    private ScaledActivationRanges(Iterable<FakeQuantizer> quantizers, double factor) {
        if (!(factor > 0 && factor < 16)) {
            throw new IllegalArgumentException("activation range factor: expected in (0, 16), got " + factor);
        }
        for (FakeQuantizer q : quantizers) {
            QParams qp = q.qparams();
            if (q.role() != QuantizerRole.ACTIVATION || qp.perChannel()) {
                continue;
            }
            touched.add(q);
            saved.add(qp);
            q.setQParams(QParams.perTensor(Math.max(QParams.EPS, (float) (qp.scale(0) * factor)), qp.zeroPoint(0)));
        }
    }

    /** Scales {@code quantizers}' activation ranges by {@code factor} now; closing restores them. */
    public static ScaledActivationRanges of(Iterable<FakeQuantizer> quantizers, double factor) {
        return new ScaledActivationRanges(quantizers, factor);
    }

    /** How many quantizers were scaled. */
    public int size() {
        return touched.size();
    }

    @Override
    public void close() {
        for (int i = 0; i < touched.size(); i++) {
            touched.get(i).setQParams(saved.get(i));
        }
        touched.clear();
        saved.clear();
    }
}
