package io.lac4j.quant;

import java.util.Set;

/**
 * Whole-model state toggles (MQBench {@code utils/state.py}, STYLE M5, LAC.md §6.5), selecting
 * quantizers by {@link QuantizerRole}, never by name.
 */
public final class QuantStates {
    private QuantStates() {}

    /** {@code calib(type)}: quantizers with a role in {@code roles} observe only; all others are off. */
    public static void calibrate(Iterable<? extends FakeQuantizer> quantizers, Set<QuantizerRole> roles) {
        for (FakeQuantizer q : quantizers) {
            q.setState(roles.contains(q.role()), false);
        }
    }

    /** {@code enable_quantization}: fake quant on, observer off, everywhere. */
    public static void quantize(Iterable<? extends FakeQuantizer> quantizers) {
        for (FakeQuantizer q : quantizers) {
            q.setState(false, true);
        }
    }

    /** {@code disable_all}: both off (every quantizer is the identity). */
    public static void disableAll(Iterable<? extends FakeQuantizer> quantizers) {
        for (FakeQuantizer q : quantizers) {
            q.setState(false, false);
        }
    }
}
