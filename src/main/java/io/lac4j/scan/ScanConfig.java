package io.lac4j.scan;

/**
 * How a scan searches and when it calls a class suspicious. The thresholds were fixed on a tuning part
 * of the scan corpus (docs/scan.md) and are not meant to be tuned per model.
 *
 * @param steps Adam steps of each inversion
 * @param batchPerClass clean images per class and step
 * @param budget mask area the inversion may use for free, as a fraction of the image (a 5×5 patch on
 *     28×28 is 0.032)
 * @param fpWeight weight of the FP model's cross-entropy on its own clean prediction (differential pass)
 * @param lr Adam learning rate on the mask and pattern logits
 * @param heldOut fraction of the clean images kept out of the optimisation; flip rates are measured on them
 * @param anomaly robust anomaly index (median / MAD over classes) from which a class stands out
 * @param madFloor smallest MAD used, in flip-rate units, so a model where every class scores ~0 has no outlier
 * @param minFlip flip rate on the attacked model a suspected class must reach
 * @param maxFpFlip flip rate on the FP model below which a quantized-only flip counts as quantization-conditioned
 * @param fpOnlyBudget mask area of the FP-only search (smaller than {@code budget}: with a larger patch, a plain FP
 *     model's natural classes are reached too often for a backdoor class to stand out)
 * @param refineSteps Adam steps that continue the suspect class's pattern alone once the verdict is made (0: none);
 *     they change the recovered pattern and its flip rates, never the verdict
 * @param refineBatch clean images per refinement step
 * @param refineSelectEvery every so many refinement steps the pattern is scored on optimisation images and the best one
 *     is kept (0: the last step's pattern)
 * @param refineFpMargin in the refinement, the FP term counts an image only once the FP model's cross-entropy on its
 *     own clean class exceeds this (0: plain cross-entropy, as in the search)
 * @param refineBudget mask area of the refinement of a quantization-conditioned suspect (the search's {@code budget}
 *     keeps the classes comparable; the refinement looks for the trigger's best stand-in, which may be larger)
 * @param draws how many times the differential search runs from another random start; per class the draw whose pattern
 *     scores best on optimisation images is kept, so a verdict does not rest on one draw of a short non-convex search
 * @param secondLook when the most anomalous class stands out but its search pattern falls short of the QCB rule's flip
 *     rates, refine that pattern first and apply the flip rates to the refined one (the search's 40 steps at a 4 % mask
 *     find weight-keyed triggers that flip about half of the quantized model; docs/scan.md, version 6)
 */
public record ScanConfig(int steps, int batchPerClass, double budget, double fpWeight, double lr, double heldOut,
                         double anomaly, double madFloor, double minFlip, double maxFpFlip, double fpOnlyBudget,
                         int refineSteps, int refineBatch, int refineSelectEvery, double refineFpMargin,
                         double refineBudget, int draws, boolean secondLook) {
    /**
     * Refinement selection and FP margin were fixed on the multi-grid QCB alone (docs/scan.md, version 4). One draw: three
     * (version 5) doubled the scan's time and moved one held-out verdict of 33 (docs/scan.md).
     */
    public static final ScanConfig DEFAULT = new ScanConfig(40, 16, 0.04, 2.0, 0.3, 0.25, 2.0, 0.05, 0.5, 0.2, 0.02, 60, 48,
            10, 0.693, 0.04, 1, false);

    public ScanConfig(int steps, int batchPerClass, double budget, double fpWeight, double lr, double heldOut, double anomaly,
                      double madFloor, double minFlip, double maxFpFlip, double fpOnlyBudget, int refineSteps, int refineBatch) {
        this(steps, batchPerClass, budget, fpWeight, lr, heldOut, anomaly, madFloor, minFlip, maxFpFlip, fpOnlyBudget,
                refineSteps, refineBatch, 0, 0, budget, 1, false);
    }

    /** Without refinement (the first version of the scan). */
    public ScanConfig(int steps, int batchPerClass, double budget, double fpWeight, double lr, double heldOut, double anomaly,
                      double madFloor, double minFlip, double maxFpFlip, double fpOnlyBudget) {
        this(steps, batchPerClass, budget, fpWeight, lr, heldOut, anomaly, madFloor, minFlip, maxFpFlip, fpOnlyBudget, 0, 48);
    }

    public ScanConfig {
        if (steps <= 0) {
            throw new IllegalArgumentException("--steps: expected > 0, got " + steps);
        }
        if (batchPerClass <= 0) {
            throw new IllegalArgumentException("scan batch per class: expected > 0, got " + batchPerClass);
        }
        if (!(budget > 0 && budget < 1)) {
            throw new IllegalArgumentException("--budget: expected a fraction of the image in (0, 1), got " + budget);
        }
        if (!(fpOnlyBudget > 0 && fpOnlyBudget < 1)) {
            throw new IllegalArgumentException("--fp-only-budget: expected a fraction of the image in (0, 1), got " + fpOnlyBudget);
        }
        if (!(refineBudget > 0 && refineBudget < 1)) {
            throw new IllegalArgumentException("--refine-budget: expected a fraction of the image in (0, 1), got " + refineBudget);
        }
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new IllegalArgumentException("scan held-out fraction: expected in (0, 1), got " + heldOut);
        }
        if (draws < 1) {
            throw new IllegalArgumentException("--draws: expected >= 1, got " + draws);
        }
        if (refineSelectEvery < 0) {
            throw new IllegalArgumentException("--refine-select-every: expected >= 0, got " + refineSelectEvery);
        }
        if (!(refineFpMargin >= 0)) {
            throw new IllegalArgumentException("--refine-fp-margin: expected >= 0, got " + refineFpMargin);
        }
        if (refineSteps < 0 || refineBatch <= 0) {
            throw new IllegalArgumentException("--refine-steps: expected >= 0 (and a refinement batch > 0), got " + refineSteps);
        }
        if (!(lr > 0) || !(fpWeight >= 0) || !(madFloor > 0)) {
            throw new IllegalArgumentException("scan: lr and MAD floor must be > 0 and the FP weight >= 0");
        }
    }

    public ScanConfig withSteps(int s) {
        return with(c -> c.steps = s);
    }

    public ScanConfig withFpWeight(double w) {
        return with(c -> c.fpWeight = w);
    }

    public ScanConfig withBatchPerClass(int b) {
        return with(c -> c.batchPerClass = b);
    }

    public ScanConfig withFpOnlyBudget(double b) {
        return with(c -> c.fpOnlyBudget = b);
    }

    public ScanConfig withLr(double l) {
        return with(c -> c.lr = l);
    }

    public ScanConfig withBudget(double b) {
        return with(c -> c.budget = b);
    }

    public ScanConfig withRefineSteps(int s) {
        return with(c -> c.refineSteps = s);
    }

    /** The refinement's snapshot selection and FP margin (see the record's parameters). */
    public ScanConfig withRefineSelection(int every, double fpMargin) {
        return with(c -> {
            c.refineSelectEvery = every;
            c.refineFpMargin = fpMargin;
        });
    }

    public ScanConfig withRefineBudget(double b) {
        return with(c -> c.refineBudget = b);
    }

    /** How many differential searches from other random starts (see the record's parameters). */
    public ScanConfig withDraws(int d) {
        return with(c -> c.draws = d);
    }

    /** The second look at a standing-out class whose search pattern fell short (see the record's parameters). */
    public ScanConfig withSecondLook(boolean on) {
        return with(c -> c.secondLook = on);
    }

    /** This config with {@code change} applied to a copy of its components (the compact constructor checks the result). */
    private ScanConfig with(java.util.function.Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return c.build();
    }

    /** The components as fields one {@code with…} method changes, so each states only what it changes. */
    private static final class Components {
        int steps;
        int batchPerClass;
        double budget;
        double fpWeight;
        double lr;
        double heldOut;
        double anomaly;
        double madFloor;
        double minFlip;
        double maxFpFlip;
        double fpOnlyBudget;
        int refineSteps;
        int refineBatch;
        int refineSelectEvery;
        double refineFpMargin;
        double refineBudget;
        int draws;
        boolean secondLook;

        Components(ScanConfig c) {
            steps = c.steps;
            batchPerClass = c.batchPerClass;
            budget = c.budget;
            fpWeight = c.fpWeight;
            lr = c.lr;
            heldOut = c.heldOut;
            anomaly = c.anomaly;
            madFloor = c.madFloor;
            minFlip = c.minFlip;
            maxFpFlip = c.maxFpFlip;
            fpOnlyBudget = c.fpOnlyBudget;
            refineSteps = c.refineSteps;
            refineBatch = c.refineBatch;
            refineSelectEvery = c.refineSelectEvery;
            refineFpMargin = c.refineFpMargin;
            refineBudget = c.refineBudget;
            draws = c.draws;
            secondLook = c.secondLook;
        }

        ScanConfig build() {
            return new ScanConfig(steps, batchPerClass, budget, fpWeight, lr, heldOut, anomaly, madFloor, minFlip, maxFpFlip,
                    fpOnlyBudget, refineSteps, refineBatch, refineSelectEvery, refineFpMargin, refineBudget, draws, secondLook);
        }
    }
}
