package io.lac4j.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scan on synthetic 1×12×12 ten-class models whose answer is known: a prototype classifier with a
 * margin no 8 % patch can overcome, and a planted rule "bright 3×3 bottom-right corner ⇒ class 3" in
 * the quantized model only (a QCB), in both models (an FP backdoor) or nowhere (clean).
 */
class ScannerTest {
    static final int S = 12;
    static final int HW = S * S;
    static final int CLASSES = 10;
    static final ScanConfig CFG = new ScanConfig(60, 16, 0.08, 1.0, 0.1, 0.25, 2.0, 0.05, 0.5, 0.2, 0.08);
    static NDManager root;
    static float[] prototypes = new float[CLASSES * HW];
    static float[] images;

    @BeforeAll
    static void setUp() {
        Engines.start(1);
        root = Engines.newBaseManager();
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < prototypes.length; i++) {
            prototypes[i] = rng.nextBoolean() ? 1f : -1f;
        }
        int n = 200;
        images = new float[n * HW];
        for (int i = 0; i < n; i++) {
            int y = i % CLASSES;
            for (int p = 0; p < HW; p++) {
                images[i * HW + p] = 0.25f + 0.2f * prototypes[y * HW + p];
            }
        }
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    /** Logits 0.5·⟨x − 0.25, P_c⟩, plus 60·σ(20·(mean of the corner − 0.6)) on class 3 when {@code planted}. */
    static UnaryOperator<NDArray> model(boolean planted) {
        return x -> {
            NDManager m = x.getManager();
            long n = x.getShape().get(0);
            NDArray p = m.create(prototypes, new Shape(CLASSES, HW)).transpose();
            NDArray logits = x.reshape(n, HW).sub(Engines.scalar(m, 0.25)).matMul(p).mul(Engines.scalar(m, 0.5));
            if (!planted) {
                return logits;
            }
            NDArray corner = x.get(":, :, 9:12, 9:12").reshape(n, 9).mean(new int[] {1}, true);
            NDArray boost = Activation.sigmoid(corner.sub(Engines.scalar(m, 0.6)).mul(Engines.scalar(m, 20)))
                    .mul(Engines.scalar(m, 60));
            float[] hot = new float[CLASSES];
            hot[3] = 1f;
            return logits.add(boost.matMul(m.create(hot, new Shape(1, CLASSES))));
        };
    }

    static ScanResult scan(boolean fpPlanted, boolean quantizedPlanted) {
        return Scanner.scan(model(fpPlanted), model(quantizedPlanted), images, new int[] {1, S, S}, CLASSES,
                Normalization.identity(1), CFG, 11, Progress.NONE, root);
    }

    @Test
    void aRuleOnlyTheQuantizedModelFollowsIsAQcbWithItsTargetAndPattern() {
        ScanResult r = scan(false, true);
        assertThat(r.verdict()).isEqualTo(new ScanVerdict(ScanVerdict.Kind.QCB_SUSPECTED, 3));
        ClassScore c3 = r.classes().get(3);
        assertThat(c3.flipQuantized()).isGreaterThan(0.8);
        assertThat(c3.flipFp()).isLessThan(0.2);
        // the recovered mask sits on the planted corner
        RecoveredTrigger t = r.suspect();
        double inCorner = 0;
        double total = 0;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                total += t.mask()[y * S + x];
                if (y >= 9 && x >= 9) {
                    inCorner += t.mask()[y * S + x];
                }
            }
        }
        assertThat(inCorner / total).isGreaterThan(0.5);
        assertThat(t.area()).isLessThanOrEqualTo(CFG.budget() + 1e-6);
        // the trigger-free residual on a model without the rule is small, on the scanned one it is the flip rate
        assertThat(Scanner.residual(model(false), r, t, Normalization.identity(1), root)).isLessThan(0.2);
        assertThat(Scanner.residual(model(true), r, t, Normalization.identity(1), root)).isEqualTo(c3.flipQuantized());
    }

    @Test
    void aRuleBothModelsFollowIsAnFpBackdoor() {
        ScanResult r = scan(true, true);
        assertThat(r.verdict()).isEqualTo(new ScanVerdict(ScanVerdict.Kind.FP_BACKDOOR, 3));
        assertThat(r.classes().get(3).fpOnlyFlip()).isGreaterThan(0.8);
    }

    @Test
    void modelsWithoutARuleAreClean() {
        ScanResult r = scan(false, false);
        assertThat(r.verdict().kind()).isEqualTo(ScanVerdict.Kind.NO_QCB);
        assertThat(r.verdict().text()).isEqualTo("no QCB found");
        assertThat(r.classes()).allSatisfy(c -> assertThat(c.flipQuantized()).isLessThan(0.5));
    }

    @Test
    void anomalyIndexIsRobustAndFloored() {
        double[] ai = AnomalyIndex.of(new double[] {0, 0.01, 0.02, 0.9, 0.01}, 0.05);
        assertThat(ai[3]).isGreaterThan(10);
        assertThat(ai[0]).isLessThan(0);
        for (double v : AnomalyIndex.of(new double[] {0.001, 0.002, 0.003}, 0.05)) {
            assertThat(Math.abs(v)).isLessThan(0.1);
        }
    }

    @Test
    void tooFewImagesAreRefusedWithTheCount() {
        float[] few = java.util.Arrays.copyOf(images, 10 * HW);
        assertThatThrownBy(() -> Scanner.scan(model(false), model(true), few, new int[] {1, S, S}, CLASSES,
                Normalization.identity(1), CFG, 1, Progress.NONE, root))
                .hasMessageContaining("10 clean images are too few");
    }
}
