package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** read(write(stateDict)) is the identity, for seeded random dtypes, shapes and bit patterns. */
class RoundTripProperties {
    @TempDir Path dir;

    static Stream<Arguments> cases() {
        SplittableRandom r = new SplittableRandom(0x1AC4L);
        return IntStream.range(0, 40).mapToObj(i -> Arguments.of(i, randomStateDict(r.split())));
    }

    static StateDict randomStateDict(SplittableRandom r) {
        Map<String, TensorData> m = new LinkedHashMap<>();
        int n = 1 + r.nextInt(6);
        for (int k = 0; k < n; k++) {
            DType dtype = DType.values()[r.nextInt(DType.values().length)];
            long[] shape = new long[r.nextInt(5)];
            long numel = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = r.nextInt(r.nextInt(8) == 0 ? 1 : 6);
                numel *= shape[d];
            }
            byte[] data = new byte[(int) numel * dtype.itemSize()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) r.nextInt(256);
            }
            if (dtype == DType.BOOL) {
                for (int i = 0; i < data.length; i++) {
                    data[i] &= 1;
                }
            }
            m.put(
                    "layer" + k + (r.nextBoolean() ? ".weight" : ".running_var"),
                    TensorData.of(dtype, shape, data));
        }
        return StateDict.of(m);
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void pthAndSafetensorsRoundTrip(int i, StateDict sd) {
        Path pth = dir.resolve("c" + i + ".pth");
        PthWriter.write(pth, sd);
        assertThat(Checkpoints.read(pth).stateDict()).isEqualTo(sd);
        Path st = dir.resolve("c" + i + ".safetensors");
        SafetensorsWriter.write(st, sd);
        assertThat(Checkpoints.read(st).stateDict()).isEqualTo(sd);
    }
}
