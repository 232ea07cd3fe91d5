package io.lac4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Mt19937Test {
    private static final Golden G = Golden.load("data", "mt19937");

    @Test
    void lacBatchIndicesFromSeed1005() {
        Mt19937 mt = new Mt19937(1005);
        int[] first = new int[12];
        for (int i = 0; i < first.length; i++) {
            first[i] = mt.nextIndex(32);
        }
        assertThat(first).containsExactly(3, 3, 19, 25, 23, 8, 4, 19, 10, 9, 31, 30);
    }

    @Test
    void bound32IsTheLowFiveBits() {
        Mt19937 a = new Mt19937(1005);
        Mt19937 b = new Mt19937(1005);
        for (int i = 0; i < 2000; i++) {
            assertThat(a.randint(0, 32)).isEqualTo(b.genrandInt32() & 31);
        }
    }

    @ParameterizedTest(name = "seed {0} bound {1}")
    @CsvSource({"1005,32", "1005,10", "1005,100", "1005,1000", "0,32", "0,10", "0,100", "0,1000",
        "4294967295,32", "4294967295,10", "4294967295,100", "4294967295,1000"})
    void randintMatchesNumpyLegacy(long seed, int bound) {
        long[] expected = G.longs("seed" + seed + "_bound" + bound);
        Mt19937 mt = new Mt19937(seed);
        long[] actual = new long[expected.length];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = mt.randint(0, bound);
        }
        assertThat(actual).containsExactly(expected);
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"1005", "0", "4294967295"})
    void genrandInt32MatchesNumpy(long seed) {
        long[] expected = G.longs("seed" + seed + "_raw32");
        Mt19937 mt = new Mt19937(seed);
        for (int i = 0; i < expected.length; i++) {
            assertThat(mt.genrandInt32()).as("draw %d", i).isEqualTo(expected[i]);
        }
    }

    @Test
    void streamContinuesAcrossManyTwists() {
        Mt19937 mt = new Mt19937(1005);
        for (int i = 0; i < 10_000; i++) {
            mt.nextIndex(32);
        }
        long[] expected = G.longs("seed1005_bound32_after10000");
        for (long e : expected) {
            assertThat((long) mt.nextIndex(32)).isEqualTo(e);
        }
    }

    @Test
    void offsetAndDegenerateRanges() {
        Mt19937 a = new Mt19937(7);
        Mt19937 b = new Mt19937(7);
        assertThat(a.randint(5, 15)).isEqualTo(5 + b.randint(0, 10));
        assertThat(a.randint(3, 4)).isEqualTo(3);
        assertThatThrownBy(() -> new Mt19937(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> a.randint(4, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seedsPerStageAreStableAndDistinct() {
        assertThat(Seeds.forStage(1005, "calibration")).isEqualTo(Seeds.forStage(1005, "calibration"));
        assertThat(Seeds.forStage(1005, "calibration")).isNotEqualTo(Seeds.forStage(1005, "augment"));
        assertThat(Seeds.forStage(1005, "calibration")).isNotEqualTo(Seeds.forStage(1006, "calibration"));
        assertThat(Seeds.rngForStage(1, "x").nextLong()).isEqualTo(Seeds.rngForStage(1, "x").nextLong());
    }
}
