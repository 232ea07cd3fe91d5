package io.lac4j.eval;

import io.lac4j.data.DataView;
import io.lac4j.data.ImageDataset;
import io.lac4j.data.Normalization;
import io.lac4j.data.Preprocessing;
import io.lac4j.data.Trigger;

/**
 * The three test views of LAC.md §4: clean, all triggered (label := target) and no-target.
 * When the no-target view is exactly the triggered view minus target-class images (no
 * augmentation, exact filter), one forward pass of the triggered set serves both ASRs.
 *
 * @param triggered null when no trigger is known (CDA only)
 * @param noTarget a separate view only when it cannot be derived from {@code triggered}
 */
public record EvalSets(DataView clean, DataView triggered, DataView noTarget, int target, int batchSize) {
    public static final int BATCH = 128;

    /** Standard sets; {@code trigger} null gives CDA only. */
    public static EvalSets of(ImageDataset test, Normalization norm, Trigger trigger, int target) {
        DataView clean = DataView.clean(test, norm);
        if (trigger == null) {
            return new EvalSets(clean, null, null, target, BATCH);
        }
        return new EvalSets(clean, DataView.poisoned(test, trigger, target, norm), null, target, BATCH);
    }

    /** Sets with the Tiny quirks: "Modified" no-target list (Q13), augmented triggered views (Q14). */
    public static EvalSets withQuirks(ImageDataset test, Normalization norm, Trigger trigger, int target,
                                      DataView.NoTargetMode mode, int augmentPad, long seed) {
        DataView clean = DataView.clean(test, norm);
        DataView trig = DataView.poisoned(test, trigger, target, norm);
        DataView nt = DataView.noTarget(test, trigger, target, norm, mode);
        if (augmentPad > 0) {
            Preprocessing aug = trig.preprocessing().withAugmentation(augmentPad);
            trig = trig.withPreprocessing(aug).withSeed(seed);
            nt = nt.withPreprocessing(aug).withSeed(seed + 1);
        }
        return new EvalSets(clean, trig, nt, target, BATCH);
    }

    /** The same sets restricted to the first {@code n} test images (0 or more than there are: all). */
    public EvalSets limit(int n) {
        if (n <= 0 || n >= clean.size()) {
            return this;
        }
        return new EvalSets(first(clean, n), triggered == null ? null : first(triggered, n),
                noTarget == null ? null : first(noTarget, Math.min(n, noTarget.size())), target, batchSize);
    }

    private static DataView first(DataView v, int n) {
        int[] idx = new int[n];
        int[] labels = new int[n];
        for (int p = 0; p < n; p++) {
            idx[p] = v.sourceIndex(p);
            labels[p] = v.label(p);
        }
        return DataView.of(v.name(), v.source(), idx, labels, v.preprocessing()).withSeed(v.seed());
    }

    public boolean hasTrigger() {
        return triggered != null;
    }
}
