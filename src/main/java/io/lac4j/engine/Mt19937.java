package io.lac4j.engine;

/**
 * The Mersenne Twister MT19937 exactly as numpy's legacy {@code np.random.RandomState}: seeded
 * with {@code init_genrand(seed)} for an integer seed, 32-bit outputs from {@code genrand_int32},
 * and {@link #randint(long, long)} with numpy's legacy masked rejection sampling.
 *
 * <p>{@code np.random.RandomState(s).randint(lo, hi, size=n)} (default dtype int64) goes through
 * {@code random_bounded_uint64_fill(..., use_masked=True)}: for a range {@code rng = hi - lo - 1}
 * below {@code 2^32 - 1} every value is {@code lo + v} where {@code v} is the first
 * {@code genrand_int32() & mask} that is {@code <= rng}, and {@code mask} is the smallest
 * {@code 2^j - 1 >= rng}. 32-bit draws are not buffered, so the scalar call ({@code size=None})
 * and the {@code size=n} call consume the stream identically. Checked against numpy 2.4 (the
 * legacy path is frozen) by the golden test. LAC samples cached batches with
 * {@code randint(0, 32)} = {@code genrand_int32() & 31} from seed 1005 (LAC.md §8.4).
 *
 * <p>Not thread-safe; one instance per consumer.
 */
public final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int pos;

    /** A generator initialised like {@code np.random.RandomState(seed)}. */
    public Mt19937(long seed) {
        initGenrand(seed);
    }

    /**
     * Re-initialises the state from a seed in {@code [0, 2^32)} (numpy rejects others).
     *
     * @throws IllegalArgumentException if the seed is outside {@code [0, 2^32)}
     */
    public void initGenrand(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed: expected 0 <= seed < 2^32, got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            int prev = mt[i - 1];
            mt[i] = 1812433253 * (prev ^ (prev >>> 30)) + i;
        }
        pos = N;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
            mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        pos = 0;
    }

    /** The next 32-bit output as an unsigned value in {@code [0, 2^32)}. */
    public long genrandInt32() {
        if (pos >= N) {
            twist();
        }
        int y = mt[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /**
     * One value of numpy's legacy {@code randint(low, high)}: uniform in {@code [low, high)}.
     *
     * @throws IllegalArgumentException if {@code high <= low} or the range needs more than 32 bits
     */
    public long randint(long low, long high) {
        if (high <= low) {
            throw new IllegalArgumentException(
                    "randint: expected low < high, got low " + low + ", high " + high);
        }
        long rng = high - low - 1;
        if (rng == 0) {
            return low;
        }
        if (rng > 0xfffffffeL) {
            throw new IllegalArgumentException(
                    "randint: expected a range below 2^32 - 1, got " + (rng + 1));
        }
        long mask = rng;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long v;
        do {
            v = genrandInt32() & mask;
        } while (v > rng);
        return low + v;
    }

    /** {@code randint(0, bound)} as an int, e.g. the index of the next cached batch. */
    public int nextIndex(int bound) {
        return (int) randint(0, bound);
    }
}
