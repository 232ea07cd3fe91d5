package io.lac4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DerTest {
    @Test
    void matchesLacPaperPqBackdoor8BitRow() {
        // ATTACKS.md §0: BA 86.0 -> 85.81, ASR ~99.3 -> 1.64 gives about 98.7 (paper: 98.74).
        assertThat(Der.compute(86.0, 99.3, 85.81, 1.64)).isCloseTo(98.74, within(0.05));
    }

    @Test
    void noChangeIsOneHalf() {
        assertThat(Der.compute(90, 99, 90, 99)).isEqualTo(50.0);
    }

    static Stream<double[]> randomCases() {
        SplittableRandom r = new SplittableRandom(0x1AC4L);
        return IntStream.range(0, 200).mapToObj(i -> new double[] {
            r.nextDouble(100), r.nextDouble(100), r.nextDouble(100), r.nextDouble(100)});
    }

    @ParameterizedTest
    @MethodSource("randomCases")
    void staysWithinZeroAndHundred(double[] c) {
        assertThat(Der.compute(c[0], c[1], c[2], c[3])).isBetween(0.0, 100.0);
    }
}
