package io.lac4j.quant;

/**
 * AdaRound's β annealing for the rounding regulariser (upstream MQBench {@code LinearTempDecay}):
 * β = {@code startB} until {@code warmUp·tMax}, then linear down to {@code endB} at {@code tMax}.
 * (Not used by LAC, LAC.md Q4; EFRAP's released code keeps β = 2.)
 *
 * @param tMax iterations ({@code max_count})
 * @param warmUp fraction of iterations before decay starts ({@code warm_up})
 * @param startB β at the start ({@code b_range[0]})
 * @param endB β at the end ({@code b_range[1]})
 */
public record TemperatureDecay(int tMax, double warmUp, double startB, double endB) {
    /** MQBench defaults: b_range [20, 2], warm_up 0.2, max_count 10 000. */
    public static final TemperatureDecay ADAROUND = new TemperatureDecay(10_000, 0.2, 20, 2);

    public TemperatureDecay {
        if (tMax <= 0) {
            throw new IllegalArgumentException("max_count: expected > 0, got " + tMax);
        }
        if (!(warmUp >= 0 && warmUp < 1)) {
            throw new IllegalArgumentException("warm_up: expected in [0, 1), got " + warmUp);
        }
    }

    /** β at iteration {@code t}. */
    public double beta(int t) {
        double startDecay = warmUp * tMax;
        if (t < startDecay) {
            return startB;
        }
        if (t > tMax) {
            return endB;
        }
        double rel = (t - startDecay) / (tMax - startDecay);
        return endB + (startB - endB) * Math.max(0.0, 1 - rel);
    }

    /** True if the regulariser is active at iteration {@code t} (MQBench: {@code t >= warm_up·tMax}). */
    public boolean active(int t) {
        return t >= warmUp * tMax;
    }
}
