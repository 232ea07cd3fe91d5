package io.lac4j.ptq;

import ai.djl.ndarray.NDManager;
import io.lac4j.quant.QuantizedModel;

/**
 * How a reconstruction unit's weight rounding is learned — the one thing LAC, EFRAP and plain
 * AdaRound-style PTQ do differently inside the same per-unit loop ({@link UnitReconstruction}):
 * which rounding variables exist, what is added to the activation loss {@code L_A}, and how the
 * hard weights are written back.
 */
public interface WeightRounding {
    /** LAC's additive offset α, loss {@code L_A} only (LAC.md §8.4). */
    WeightRounding LAC = new LacRounding();

    /**
     * Starts learning the rounding of {@code unit}'s weights; the returned state and its arrays live
     * in {@code unitScope}.
     */
    UnitRounding begin(QuantizedModel qm, ReconstructionUnit unit, NDManager unitScope);

    /** Short name for results and logs ({@code lac}, {@code efrap}). */
    String name();
}
