package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** LAC.md §6.3 edge cases. */
class QParamsTest {
    private static final QScheme A4 = QScheme.asymmetric(4, Granularity.PER_TENSOR);
    private static final QScheme S4 = QScheme.symmetric(4, Granularity.PER_TENSOR);

    @Test
    void neverObservedGivesUnitScale() {
        assertThat(QParams.fromRange(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, A4)).isEqualTo(QParams.unobserved());
        assertThat(new MseObserver(A4).qparams()).isEqualTo(QParams.perTensor(1f, 0));
        QParams pc = QParams.fromRange(new float[] {Float.POSITIVE_INFINITY, -1f},
                new float[] {Float.NEGATIVE_INFINITY, 2f}, A4, 0);
        assertThat(pc.scale(0)).isEqualTo(1f);
        assertThat(pc.zeroPoint(0)).isZero();
        assertThat(pc.scale(1)).isEqualTo(3f / 15f);
    }

    @Test
    void scaleIsFlooredAtFloat32Eps() {
        QParams q = QParams.fromRange(0f, 0f, A4);
        assertThat(q.scale(0)).isEqualTo(1.1920929e-07f).isEqualTo(Math.ulp(1f));
        assertThat(q.zeroPoint(0)).isZero();
        assertThat(QParams.fromRange(0f, 0f, S4).scale(0)).isEqualTo(QParams.EPS);
    }

    @Test
    void rangeAlwaysContainsZero() {
        QParams pos = QParams.fromRange(0.5f, 3f, A4); // mn' = 0
        assertThat(pos.scale(0)).isEqualTo(3f / 15f);
        assertThat(pos.zeroPoint(0)).isZero();
        QParams neg = QParams.fromRange(-3f, -0.5f, A4); // mx' = 0 -> z = qmax
        assertThat(neg.scale(0)).isEqualTo(3f / 15f);
        assertThat(neg.zeroPoint(0)).isEqualTo(15);
    }

    @Test
    void zeroPointRoundsHalfToEvenAndSymmetricIsCentered() {
        // mn / s = -2.5 exactly: z = 0 - rne(-2.5) = 2 (half-up would give 3)
        QParams q = QParams.fromRange(-1.25f, 6.25f, A4); // s = 7.5 / 15 = 0.5
        assertThat(q.scale(0)).isEqualTo(0.5f);
        assertThat(q.zeroPoint(0)).isEqualTo(2);
        QParams s = QParams.fromRange(-3f, 1f, S4); // max(3, 1) / 7.5
        assertThat(s.scale(0)).isEqualTo(3f / 7.5f);
        assertThat(s.zeroPoint(0)).isZero();
    }

    @Test
    void powerOfTwoScale() {
        QScheme pot = new QScheme(4, false, Granularity.PER_TENSOR, -1, true, QuantRange.FULL, Rounding.HALF_EVEN);
        assertThat(QParams.fromRange(-1f, 2f, pot).scale(0)).isEqualTo(0.25f); // 0.2 -> 2^-2
    }

    @Test
    void validatesShapesAndCopies() {
        assertThatThrownBy(() -> new QParams(new float[] {1f, 2f}, new int[] {0}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QParams(new float[] {1f, 2f}, new int[] {0, 0}, -1)).isInstanceOf(IllegalArgumentException.class);
        float[] s = {1f};
        QParams q = new QParams(s, new int[] {3}, -1);
        s[0] = 5f;
        q.scale()[0] = 7f;
        assertThat(q.scale(0)).isEqualTo(1f);
    }
}
