package io.lac4j.pipeline;

import io.lac4j.ConfigNames;

/**
 * The defenses {@code defend} and {@code compare} run on a QCB model's deployment path, by config
 * name. PTQ variants change how the model is quantized; FT and Fine-Pruning change the FP model
 * (on the clean calibration images) and then quantize it naively.
 */
public enum Defense {
    /** Naive PTQ, MQBench Academic (MSE weight ranges, EMA-MSE activation ranges): the attack's deployment. */
    NAIVE("naive", null),
    /** Naive PTQ with MinMax ranges for weights and activations (no clipping). */
    MINMAX("minmax", "minmax"),
    /** Upstream AdaRound reconstruction (rectified sigmoid, β annealed 20 → 2), no defense intent. */
    ADAROUND("adaround", "adaround"),
    /** Faithful LAC (LAC.md §8). */
    LAC("lac", "lac"),
    /** LAC with PDA (LAC.md §9). */
    LAC_PDA("lac+pda", "lac_pda"),
    /** lac4j's lac-act preset ({@link io.lac4j.ptq.LacAct}: MinMax activation ranges, BN learned), LAC + PDA (issue 9). */
    LAC_ACT("lac-act", "lac_act"),
    /** EFRAP (ATTACKS.md §4), released-code defaults. */
    EFRAP("efrap", "efrap"),
    /** Fine-tuning the FP model on the clean calibration images, then naive PTQ. */
    FT("ft", "ft"),
    /** Fine-Pruning: prune the last conv's least active channels, fine-tune, then naive PTQ. */
    FINE_PRUNING("fine-pruning", "fine_pruning");

    private final String configName;
    private final String phase;

    Defense(String configName, String phase) {
        this.configName = configName;
        this.phase = phase;
    }

    public String configName() {
        return configName;
    }

    /** The results.json phase after the defense, or null for {@link #NAIVE} (its result is naive_ptq). */
    public String phase() {
        return phase;
    }

    /**
     * Whether the run's naive-PTQ phase is the deployment's (its observers, MQBench Academic by
     * default); minmax and lac-act calibrate with their own observers, so their "naive" is not the
     * attack's deployment (under fbgemm / qnnpack minmax's happens to equal it).
     */
    public boolean quantizesLikeDeployment() {
        return this != MINMAX && this != LAC_ACT;
    }

    public static Defense fromConfigName(String name, String source) {
        return ConfigNames.lookup(values(), Defense::configName, name, source);
    }
}
