package io.lac4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poison turns DJL's freed-operand fault from rare into certain: a gradient through {@code x.mul(2f)} (a Java
 * number, wrapped over a buffer DJL frees at once) comes out wrong, one through a libtorch-owned scalar stays right.
 */
class FreedBufferPoisonTest {
    private String before;

    @BeforeEach
    void poisonEveryPass() {
        before = System.getProperty(FreedBufferPoison.PROPERTY);
        System.setProperty(FreedBufferPoison.PROPERTY, "1");
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(FreedBufferPoison.PROPERTY);
        } else {
            System.setProperty(FreedBufferPoison.PROPERTY, before);
        }
    }

    /** d/dx of sum(x·2) for x = (1, 2, 3) through {@code twice}, backward via {@link Engines#backward}. */
    private static float[] gradientOfTwice(BiFunction<NDArray, NDManager, NDArray> twice) {
        try (NDManager m = Engines.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Engines.backward(gc, twice.apply(x, m).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void aJavaNumberOperandReadsFreedMemoryInBackwardAndALibtorchScalarDoesNot() {
        int wrong = 0;
        for (int i = 0; i < 5; i++) {
            if (!java.util.Arrays.equals(gradientOfTwice((x, m) -> x.mul(2f)), new float[] {2, 2, 2})) {
                wrong++;
            }
            assertThat(gradientOfTwice((x, m) -> x.mul(Engines.scalar(m, 2)))).containsExactly(2f, 2f, 2f);
        }
        // measured: wrong in every try on the machines this ran on; one is enough to show the poison bites
        assertThat(wrong).isPositive();
    }

    @Test
    void offByDefaultAndThenNoCollection() {
        System.clearProperty(FreedBufferPoison.PROPERTY);
        assertThat(FreedBufferPoison.every()).isZero();
        assertThat(FreedBufferPoison.beforeBackward()).isEmpty();
    }
}
