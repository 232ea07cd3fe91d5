package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Golden;
import io.lac4j.testing.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Observers' ranges and (s, z) vs the Python re-implementation of MQBench's observers. */
class ObserverGoldenTest {
    private static final Golden GD = Golden.load("quant", "observers");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        String[][] kinds = {{"minmax", "MIN_MAX"}, {"ema_minmax", "EMA_MIN_MAX"}, {"mse", "MSE"}, {"ema_mse", "EMA_MSE"}};
        for (String[] k : kinds) {
            for (int bits : new int[] {4, 8}) {
                for (boolean sym : new boolean[] {false, true}) {
                    for (String t : new String[] {"w", "lin", "wt", "a", "s"}) {
                        out.add(Arguments.of(k[0], Observer.Kind.valueOf(k[1]), bits, sym, t));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2}-bit sym={3} {4}")
    @MethodSource("cases")
    void matchesReference(String tag, Observer.Kind kind, int bits, boolean sym, String tensors) {
        boolean perChannel = tensors.equals("w") || tensors.equals("lin");
        Granularity gr = perChannel ? Granularity.PER_CHANNEL : Granularity.PER_TENSOR;
        QScheme scheme = sym ? QScheme.symmetric(bits, gr) : QScheme.asymmetric(bits, gr);
        Observer ob = Observer.create(kind, scheme);
        List<String> inputs = switch (tensors) {
            case "w", "wt" -> List.of("w");
            case "lin" -> List.of("lin");
            case "a" -> List.of("a0", "a1", "a2");
            default -> List.of("s0", "s1", "s2");
        };
        try (NDManager m = Engines.newBaseManager()) {
            for (String in : inputs) {
                ob.observe(GD.array(in, m));
            }
        }
        String key = tag + "_" + bits + "_" + (sym ? "sym" : "asym") + "_" + tensors;
        Tensors.assertClose(ob.minVal(), GD.floats(key + "_min"), 1e-6, 0);
        Tensors.assertClose(ob.maxVal(), GD.floats(key + "_max"), 1e-6, 0);
        QParams qp = ob.qparams();
        Tensors.assertClose(qp.scale(), GD.floats(key + "_scale"), 1e-6, 0);
        long[] z = GD.longs(key + "_zp");
        int[] zi = new int[z.length];
        for (int i = 0; i < z.length; i++) {
            zi[i] = (int) z[i];
        }
        assertThat(qp.zeroPoint()).containsExactly(zi);
    }

    @Test
    void largerTensorsMatchToo() {
        Golden gd = Golden.load("quant", "observers_large");
        MseObserver w = new MseObserver(QScheme.asymmetric(4, Granularity.PER_CHANNEL));
        EmaMseObserver a = new EmaMseObserver(QScheme.asymmetric(4, Granularity.PER_TENSOR));
        try (NDManager m = Engines.newBaseManager()) {
            w.observe(gd.array("w", m));
            a.observe(gd.array("a0", m));
            a.observe(gd.array("a1", m));
        }
        Tensors.assertClose(w.qparams().scale(), gd.floats("w_scale"), 1e-6, 0);
        assertThat(Arrays.stream(w.qparams().zeroPoint()).asLongStream().toArray()).containsExactly(gd.longs("w_zp"));
        Tensors.assertClose(a.qparams().scale(), gd.floats("a_scale"), 1e-6, 0);
        assertThat((long) a.qparams().zeroPoint(0)).isEqualTo(gd.longs("a_zp")[0]);
    }
}
