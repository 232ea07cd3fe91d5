package io.lac4j.scan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The scan: split the clean images into an optimisation part and a held-out part, invert a pattern per
 * class twice (differential: quantized model flipped, FP model kept; FP-only: the FP model flipped),
 * measure every pattern's flip rates on the held-out images and decide. Uses no label and no trigger:
 * the FP model's own predictions stand in for labels.
 */
public final class Scanner {
    private Scanner() {}

    /**
     * @param images normalised clean images, {@code n·C·H·W} floats (already in a random order)
     * @param chw image shape
     * @param classes number of classes of the models
     */
    public static ScanResult scan(UnaryOperator<NDArray> fp, UnaryOperator<NDArray> quantized, float[] images, int[] chw,
                                  int classes, Normalization norm, ScanConfig cfg, long seed, Progress progress,
                                  NDManager parent) {
        int per = chw[0] * chw[1] * chw[2];
        int n = images.length / per;
        int held = (int) Math.ceil(cfg.heldOut() * n);
        if (n < 20 || n - held < 10) {
            throw new io.lac4j.InputException("scan: " + n + " clean images are too few; expected at least 20 (more"
                    + " calibration batches: --cali-batches)");
        }
        int[] reference = classifyingReference(fp, images, chw, parent);
        float[] opt = Arrays.copyOfRange(images, 0, (n - held) * per);
        int[] optRef = Arrays.copyOfRange(reference, 0, n - held);
        float[] heldOut = Arrays.copyOfRange(images, (n - held) * per, n * per);
        int[] heldRef = Arrays.copyOfRange(reference, n - held, n);

        java.util.Map<String, Double> phaseSeconds = new java.util.LinkedHashMap<>();
        long clock = System.nanoTime();
        Draws draws = differentialSearch(fp, quantized, opt, optRef, chw, classes, norm, cfg, seed, progress, parent);
        List<RecoveredTrigger> differential = draws.kept();
        clock = lap(phaseSeconds, ScanResult.PHASES.get(0), clock);
        List<RecoveredTrigger> fpOnly = TriggerInversion.invert(fp, null, opt, optRef, chw, classes, norm,
                cfg.withBudget(cfg.fpOnlyBudget()), seed + 1,
                progress, "scan: FP inversion", parent);
        clock = lap(phaseSeconds, ScanResult.PHASES.get(1), clock);

        double[] score = new double[classes];
        double[] flipQ = new double[classes];
        double[] flipFp = new double[classes];
        double[] fpOnlyFlip = new double[classes];
        double[] fpOnlyFlipQ = new double[classes];
        for (int k = 0; k < classes; k++) {
            flipQ[k] = FlipRate.of(quantized, differential.get(k), heldOut, heldRef, chw, norm, parent);
            flipFp[k] = FlipRate.of(fp, differential.get(k), heldOut, heldRef, chw, norm, parent);
            fpOnlyFlip[k] = FlipRate.of(fp, fpOnly.get(k), heldOut, heldRef, chw, norm, parent);
            fpOnlyFlipQ[k] = FlipRate.of(quantized, fpOnly.get(k), heldOut, heldRef, chw, norm, parent);
            score[k] = flipQ[k] - flipFp[k];
            progress.step("scan: flip rates", k + 1, classes, "");
        }
        lap(phaseSeconds, ScanResult.PHASES.get(2), clock);
        double[] ai = AnomalyIndex.of(score, cfg.madFloor());
        double[] fpAi = AnomalyIndex.of(fpOnlyFlip, cfg.madFloor());
        List<ClassScore> scores = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            scores.add(new ClassScore(k, score[k], ai[k], flipQ[k], flipFp[k], fpOnlyFlip[k], fpOnlyFlipQ[k], fpAi[k],
                    differential.get(k).area()));
        }
        ScanVerdict verdict = ScanVerdict.decide(scores, cfg);
        Suspects suspects = new Suspects(quantized, fp, opt, optRef, heldOut, heldRef, chw, classes, norm, cfg, seed, progress,
                parent);
        long started = System.nanoTime();
        ScanResult.Refined refined = null;
        ScanResult.Refined secondLook = null;
        ClassScore top = ScanVerdict.mostAnomalous(scores);
        if (cfg.secondLook() && cfg.refineSteps() > 0 && verdict.kind() != ScanVerdict.Kind.QCB_SUSPECTED
                && top.anomalyIndex() >= cfg.anomaly()) {
            secondLook = suspects.refine(differential.get(top.cls()), false);
            if (ScanVerdict.confirms(secondLook.flipQuantized(), secondLook.flipFp(), cfg)) {
                verdict = new ScanVerdict(ScanVerdict.Kind.QCB_SUSPECTED, top.cls());
                refined = secondLook;
            }
        }
        if (refined == null && verdict.target() != null && cfg.refineSteps() > 0) {
            boolean fpBackdoor = verdict.kind() == ScanVerdict.Kind.FP_BACKDOOR;
            refined = suspects.refine((fpBackdoor ? fpOnly : differential).get(verdict.target()), fpBackdoor);
        }
        if (refined != null || secondLook != null) {
            lap(phaseSeconds, ScanResult.PHASES.get(3), started);
        }
        return new ScanResult(scores, verdict, differential, fpOnly, n - held, heldOut, heldRef, chw.clone(), refined,
                java.util.Collections.unmodifiableMap(phaseSeconds), draws.choice(), secondLook);
    }

    /** Refines a suspect class's pattern on the optimisation images and measures it on the held-out ones. */
    private record Suspects(UnaryOperator<NDArray> quantized, UnaryOperator<NDArray> fp, float[] opt, int[] optRef,
                            float[] heldOut, int[] heldRef, int[] chw, int classes, Normalization norm, ScanConfig cfg,
                            long seed, Progress progress, NDManager parent) {
        /**
         * An FP backdoor's pattern is refined against the FP model alone within the FP-only budget; a quantization-
         * conditioned one against the quantized model with the FP model kept, with selection and the FP margin.
         */
        ScanResult.Refined refine(RecoveredTrigger start, boolean fpBackdoor) {
            TriggerInversion.Refinement how = new TriggerInversion.Refinement(cfg.refineSteps(), cfg.refineBatch(),
                    cfg.refineSelectEvery(), SCORED_IMAGES, cfg.refineFpMargin());
            TriggerInversion.Refined r = TriggerInversion.refine(fpBackdoor ? fp : quantized, fpBackdoor ? null : fp, opt,
                    optRef, chw, classes, norm, fpBackdoor ? cfg.fpOnlyBudget() : cfg.refineBudget(), cfg.fpWeight(), start,
                    how, cfg.lr(), seed + 2, progress, "scan: refining class " + start.targetClass(), parent);
            RecoveredTrigger t = r.trigger();
            return new ScanResult.Refined(t, FlipRate.of(quantized, t, heldOut, heldRef, chw, norm, parent),
                    FlipRate.of(fp, t, heldOut, heldRef, chw, norm, parent), cfg.refineSteps(), r.step());
        }
    }

    /** Draw r of the differential search starts from this seed offset (draw 0 from the scan's seed itself). */
    static final long DRAW_SEED_STRIDE = 1_000_003L;

    /**
     * Per class, the pattern kept from {@code cfg.draws()} differential searches, and how the draws scored (null with
     * one draw).
     */
    record Draws(List<RecoveredTrigger> kept, ScanResult.DrawChoice choice) {}

    /**
     * The differential search, drawn {@code cfg.draws()} times from other random starts. Each class keeps the draw whose
     * pattern's flip rate on the quantized model exceeds that on the FP model the most on the first
     * {@link #SCORED_IMAGES} optimisation images, so the held-out images the verdict reads play no part in the choice.
     * One draw is the search as it always was, and nothing is scored.
     */
    static Draws differentialSearch(UnaryOperator<NDArray> fp, UnaryOperator<NDArray> quantized, float[] opt, int[] optRef,
                                    int[] chw, int classes, Normalization norm, ScanConfig cfg, long seed, Progress progress,
                                    NDManager parent) {
        int n = cfg.draws();
        if (n == 1) {
            return new Draws(TriggerInversion.invert(quantized, fp, opt, optRef, chw, classes, norm, cfg, seed, progress,
                    "scan: quantized vs FP inversion", parent), null);
        }
        int per = chw[0] * chw[1] * chw[2];
        int m = Math.min(optRef.length, SCORED_IMAGES);
        float[] scored = Arrays.copyOf(opt, m * per);
        int[] scoredRef = Arrays.copyOf(optRef, m);
        double[][] score = new double[classes][n];
        List<RecoveredTrigger> kept = new ArrayList<>(java.util.Collections.nCopies(classes, null));
        int[] chosen = new int[classes];
        for (int r = 0; r < n; r++) {
            List<RecoveredTrigger> draw = TriggerInversion.invert(quantized, fp, opt, optRef, chw, classes, norm, cfg,
                    seed + DRAW_SEED_STRIDE * r, progress, "scan: quantized vs FP inversion, draw " + (r + 1) + "/" + n, parent);
            for (int k = 0; k < classes; k++) {
                score[k][r] = FlipRate.difference(quantized, fp, draw.get(k), scored, scoredRef, chw, norm, parent);
                if (r == 0 || score[k][r] > score[k][chosen[k]]) {
                    chosen[k] = r;
                    kept.set(k, draw.get(k));
                }
            }
        }
        return new Draws(java.util.Collections.unmodifiableList(kept), new ScanResult.DrawChoice(chosen, score, m));
    }

    /** Records the seconds since {@code since} under {@code phase}; returns now. */
    private static long lap(java.util.Map<String, Double> seconds, String phase, long since) {
        long now = System.nanoTime();
        seconds.put(phase, (now - since) / 1e9);
        return now;
    }

    /**
     * Every class's differential pattern — the scan's first search alone, without scores, verdict or
     * refinement, on all of {@code images}: what a defense stamps on its clean images so that the
     * quantized model learns to follow the FP model where the two differ most ({@code lac-inv}).
     */
    public static List<RecoveredTrigger> differentialPatterns(UnaryOperator<NDArray> fp, UnaryOperator<NDArray> quantized,
                                                              float[] images, int[] chw, int classes, Normalization norm,
                                                              ScanConfig cfg, long seed, Progress progress, NDManager parent) {
        int[] reference = classifyingReference(fp, images, chw, parent);
        return TriggerInversion.invert(quantized, fp, images, reference, chw, classes, norm, cfg, seed, progress,
                "inverting every class's quantized-vs-FP pattern", parent);
    }

    /**
     * How many images score a pattern outside the held-out measurement (flip rates cost two passes each): the classes'
     * patterns in {@link #strongestPatterns}, the refinement's snapshots in {@link #scan}.
     */
    static final int SCORED_IMAGES = 256;

    /**
     * The scan's search without a verdict, for a defense ({@code qad}): every class's differential pattern, scored by
     * how much more often it flips the quantized model than the FP model (on the first {@link #SCORED_IMAGES} images);
     * the best class's pattern, and the runner-up's when its score is at least {@code runnerUpShare} of the best's,
     * each refined as the scan refines its suspect. The best is the trigger's stand-in when the model holds a QCB,
     * and the quantized model's largest departure from the FP model when it does not; the runner-up is kept because
     * when the FP model itself reacts to the trigger the true target can score a little below another class.
     */
    public static List<RecoveredTrigger> strongestPatterns(UnaryOperator<NDArray> fp, UnaryOperator<NDArray> quantized,
                                                           float[] images, int[] chw, int classes, Normalization norm,
                                                           ScanConfig cfg, double runnerUpShare, long seed,
                                                           Progress progress, NDManager parent) {
        int[] reference = classifyingReference(fp, images, chw, parent);
        List<RecoveredTrigger> perClass = TriggerInversion.invert(quantized, fp, images, reference, chw, classes, norm, cfg,
                seed, progress, "inverting every class's quantized-vs-FP pattern", parent);
        int per = chw[0] * chw[1] * chw[2];
        int m = Math.min(reference.length, SCORED_IMAGES);
        float[] scored = Arrays.copyOf(images, m * per);
        int[] scoredRef = Arrays.copyOf(reference, m);
        double[] score = new double[classes];
        for (int k = 0; k < classes; k++) {
            score[k] = FlipRate.difference(quantized, fp, perClass.get(k), scored, scoredRef, chw, norm, parent);
        }
        List<RecoveredTrigger> out = new ArrayList<>();
        int[] chosen = strongestClasses(score, runnerUpShare);
        for (int i = 0; i < chosen.length; i++) {
            out.add(refine(fp, quantized, images, reference, chw, classes, norm, cfg, perClass.get(chosen[i]),
                    cfg.refineSteps(), seed + 2 + i, progress, parent));
        }
        return out;
    }

    /** The best-scoring class, then the runner-up when the best is positive and the runner-up reaches {@code share} of it. */
    static int[] strongestClasses(double[] score, double share) {
        int best = 0;
        for (int k = 1; k < score.length; k++) {
            if (score[k] > score[best]) {
                best = k;
            }
        }
        int second = best == 0 ? 1 : 0;
        for (int k = 0; k < score.length; k++) {
            if (k != best && score[k] > score[second]) {
                second = k;
            }
        }
        return score[best] > 0 && score[second] >= share * score[best] ? new int[] {best, second} : new int[] {best};
    }

    /**
     * {@code steps} more refinement steps of {@code start} against the models as they are now: what is left of
     * the pattern's effect after a defense changed the quantized model.
     */
    public static RecoveredTrigger refineAgain(UnaryOperator<NDArray> fp, UnaryOperator<NDArray> quantized, float[] images,
                                               int[] chw, int classes, Normalization norm, ScanConfig cfg,
                                               RecoveredTrigger start, int steps, long seed, Progress progress,
                                               NDManager parent) {
        return refine(fp, quantized, images, classifyingReference(fp, images, chw, parent), chw, classes, norm, cfg,
                start, steps, seed, progress, parent);
    }

    private static RecoveredTrigger refine(UnaryOperator<NDArray> fp, UnaryOperator<NDArray> quantized, float[] images,
                                           int[] reference, int[] chw, int classes, Normalization norm, ScanConfig cfg,
                                           RecoveredTrigger start, int steps, long seed, Progress progress,
                                           NDManager parent) {
        // the defenses' own refinement stays the plain one they were measured with
        return TriggerInversion.refine(quantized, fp, images, reference, chw, classes, norm, cfg.budget(), cfg.fpWeight(),
                start, TriggerInversion.Refinement.plain(steps, cfg.refineBatch()), cfg.lr(), seed, progress,
                "refining class " + start.targetClass() + "'s pattern", parent).trigger();
    }

    /** The FP model's top-1 class of every image; refused when it puts them all in one class. */
    private static int[] classifyingReference(UnaryOperator<NDArray> fp, float[] images, int[] chw, NDManager parent) {
        int[] reference = FlipRate.top1(fp, images, chw, parent);
        if (Arrays.stream(reference).distinct().count() < 2) {
            throw new io.lac4j.InputException("scan: the FP model puts all " + reference.length + " clean images in class "
                    + reference[0] + "; a scan needs a model that classifies (check --checkpoint and --data)");
        }
        return reference;
    }

    /**
     * The trigger-free residual: the flip rate of a scan's pattern on another model of the same network
     * (e.g. the purified one), on the scan's held-out images.
     */
    public static double residual(UnaryOperator<NDArray> model, ScanResult scan, RecoveredTrigger t, Normalization norm,
                                  NDManager parent) {
        return FlipRate.of(model, t, scan.heldOut(), scan.heldOutReference(), scan.imageShape(), norm, parent);
    }
}
