package io.lac4j.scan;

import java.util.List;

/**
 * A scan's findings. {@code heldOut} and {@code heldOutReference} are the clean images the flip rates
 * were measured on and the FP model's classes of them, kept so the same pattern can be measured on
 * another model of the same network (a purified one: the trigger-free residual).
 *
 * @param differential per class, the pattern inverted against the quantized model with the FP model kept
 * @param fpOnly per class, the pattern inverted against the FP model alone
 * @param refined the verdict's pattern after the refinement steps, or null (nothing found, or no refinement)
 * @param phaseSeconds wall-clock seconds per phase, in order: {@link #PHASES} (refinement only when it ran)
 * @param draws which draw of the differential search each class kept and how the draws scored (null: one draw)
 * @param secondLook with {@link ScanConfig#secondLook()}: the most anomalous class's pattern refined because the search's
 *     own pattern fell short of the QCB rule's flip rates (null: no second look); it is {@code refined} too when it
 *     met them
 */
public record ScanResult(List<ClassScore> classes, ScanVerdict verdict, List<RecoveredTrigger> differential,
                         List<RecoveredTrigger> fpOnly, int optimisationImages, float[] heldOut, int[] heldOutReference,
                         int[] imageShape, Refined refined, java.util.Map<String, Double> phaseSeconds, DrawChoice draws,
                         Refined secondLook) {
    /** The scan's phases, as {@link #phaseSeconds} names them. */
    public static final List<String> PHASES = List.of("differential_search", "fp_only_search", "flip_rates", "refinement");

    /**
     * How the differential search's draws were chosen between.
     *
     * @param kept per class, the draw whose pattern was kept (0-based)
     * @param scores per class and draw, the pattern's flip rate on the quantized model minus that on the FP model, on
     *     {@code scoredImages} optimisation images (fractions)
     */
    public record DrawChoice(int[] kept, double[][] scores, int scoredImages) {}

    /**
     * The verdict's pattern once refined, with its flip rates on the held-out images (fractions).
     *
     * @param steps refinement steps it got
     * @param selectedStep the step whose pattern was kept (= steps without snapshot selection; 0: the search's)
     */
    public record Refined(RecoveredTrigger trigger, double flipQuantized, double flipFp, int steps, int selectedStep) {}

    /**
     * The pattern that stands for the verdict: the refined one if there is one, else the suspected (or
     * FP-backdoor) class's, else the top-scoring class's.
     */
    public RecoveredTrigger suspect() {
        if (refined != null) {
            return refined.trigger();
        }
        if (verdict.kind() == ScanVerdict.Kind.FP_BACKDOOR) {
            return fpOnly.get(verdict.target());
        }
        if (verdict.target() != null) {
            return differential.get(verdict.target());
        }
        ClassScore top = classes.stream().max(java.util.Comparator.comparingDouble(ClassScore::anomalyIndex)).orElseThrow();
        return differential.get(top.cls());
    }

    /** The suspect pattern's flip rate on the scanned quantized model (fraction). */
    public double suspectFlipQuantized() {
        return refined != null ? refined.flipQuantized() : classes.get(suspect().targetClass()).flipQuantized();
    }
}
