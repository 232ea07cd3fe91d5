package io.lac4j.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * What one training step minimises: builds its batches from the positions the trainer draws and
 * returns the loss (the trainer runs backward and the optimizer). Attacks differ only here.
 */
public interface Objective {
    /**
     * The loss of one step, computed under autograd; arrays belong to {@code scope}.
     *
     * @param positions positions in the training selection for this step
     * @param seed seed of this step's augmentation draws
     */
    Outcome loss(int[] positions, long seed, NDManager scope);

    /** Runs before step {@code step} (0-based, counted over the whole run) outside autograd. */
    default void beforeStep(long step, NDManager scope) {}

    /** Runs after every optimizer update (PQBackdoor's projection); no autograd. */
    default void afterUpdate(NDManager scope) {}

    /** One-line description for logs and the manifest. */
    String describe();

    /**
     * @param loss scalar loss (in the step's manager)
     * @param correct clean training samples classified correctly by the FP model in this step
     * @param seen clean training samples in this step
     * @param terms loss terms as plain numbers, for the training log
     */
    record Outcome(NDArray loss, long correct, long seen, Map<String, Double> terms) {}
}
