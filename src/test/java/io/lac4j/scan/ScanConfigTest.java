package io.lac4j.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each {@code with…} method changes its own components and no other; the result is checked like any config. */
class ScanConfigTest {
    static final ScanConfig D = ScanConfig.DEFAULT;

    @Test
    void everyWithChangesOnlyItsOwnComponents() {
        assertThat(D.withSteps(7)).isEqualTo(copy(7, D.batchPerClass(), D.budget(), D.fpWeight(), D.lr(), D.fpOnlyBudget(),
                D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), D.draws(), D.secondLook()));
        assertThat(D.withBatchPerClass(5)).isEqualTo(copy(D.steps(), 5, D.budget(), D.fpWeight(), D.lr(), D.fpOnlyBudget(),
                D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), D.draws(), D.secondLook()));
        assertThat(D.withBudget(0.06)).isEqualTo(copy(D.steps(), D.batchPerClass(), 0.06, D.fpWeight(), D.lr(),
                D.fpOnlyBudget(), D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), D.draws(),
                D.secondLook()));
        assertThat(D.withFpWeight(1.5)).isEqualTo(copy(D.steps(), D.batchPerClass(), D.budget(), 1.5, D.lr(),
                D.fpOnlyBudget(), D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), D.draws(),
                D.secondLook()));
        assertThat(D.withLr(0.1)).isEqualTo(copy(D.steps(), D.batchPerClass(), D.budget(), D.fpWeight(), 0.1,
                D.fpOnlyBudget(), D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), D.draws(),
                D.secondLook()));
        assertThat(D.withFpOnlyBudget(0.03)).isEqualTo(copy(D.steps(), D.batchPerClass(), D.budget(), D.fpWeight(), D.lr(),
                0.03, D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), D.draws(), D.secondLook()));
        assertThat(D.withRefineSteps(9)).isEqualTo(copy(D.steps(), D.batchPerClass(), D.budget(), D.fpWeight(), D.lr(),
                D.fpOnlyBudget(), 9, D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), D.draws(), D.secondLook()));
        assertThat(D.withRefineSelection(3, 0.5)).isEqualTo(copy(D.steps(), D.batchPerClass(), D.budget(), D.fpWeight(),
                D.lr(), D.fpOnlyBudget(), D.refineSteps(), 3, 0.5, D.refineBudget(), D.draws(), D.secondLook()));
        assertThat(D.withRefineBudget(0.08)).isEqualTo(copy(D.steps(), D.batchPerClass(), D.budget(), D.fpWeight(), D.lr(),
                D.fpOnlyBudget(), D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), 0.08, D.draws(), D.secondLook()));
        assertThat(D.withDraws(4)).isEqualTo(copy(D.steps(), D.batchPerClass(), D.budget(), D.fpWeight(), D.lr(),
                D.fpOnlyBudget(), D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), 4,
                D.secondLook()));
        assertThat(D.withSecondLook(true)).isEqualTo(copy(D.steps(), D.batchPerClass(), D.budget(), D.fpWeight(), D.lr(),
                D.fpOnlyBudget(), D.refineSteps(), D.refineSelectEvery(), D.refineFpMargin(), D.refineBudget(), D.draws(),
                true));
    }

    @Test
    void aChangedConfigIsCheckedAsAnyOther() {
        assertThatThrownBy(() -> D.withDraws(0)).hasMessageContaining("--draws: expected >= 1, got 0");
        assertThatThrownBy(() -> D.withRefineBudget(1)).hasMessageContaining("--refine-budget");
    }

    /** DEFAULT's held-out fraction, thresholds and refinement batch, with the rest as given. */
    private static ScanConfig copy(int steps, int batchPerClass, double budget, double fpWeight, double lr, double fpOnlyBudget,
                                   int refineSteps, int selectEvery, double fpMargin, double refineBudget, int draws,
                                   boolean secondLook) {
        return new ScanConfig(steps, batchPerClass, budget, fpWeight, lr, D.heldOut(), D.anomaly(), D.madFloor(), D.minFlip(),
                D.maxFpFlip(), fpOnlyBudget, refineSteps, D.refineBatch(), selectEvery, fpMargin, refineBudget, draws,
                secondLook);
    }
}
