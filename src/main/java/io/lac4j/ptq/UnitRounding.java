package io.lac4j.ptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** One unit's rounding while it is learned: made by {@link WeightRounding#begin}, ended by {@link #harden}. */
public interface UnitRounding {
    /** The rounding variables Adam updates, in the unit's scope. */
    List<NDArray> trainables();

    /**
     * The term added to the reconstruction loss at iteration {@code iteration} (with gradient, in
     * {@code step}), or null when the loss is {@code L_A} alone — LAC adds nothing, so its loss
     * stays bit-for-bit what it was.
     */
    NDArray penalty(NDManager step, int iteration);

    /** Writes the hard weights into the model and ends learning (LAC.md §8.5). */
    void harden();
}
