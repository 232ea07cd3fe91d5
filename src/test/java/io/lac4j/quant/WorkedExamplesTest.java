package io.lac4j.quant;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.lac4j.engine.Engines;
import io.lac4j.testing.Tensors;
import org.junit.jupiter.api.Test;

/** LAC.md §12.1–12.3, with the inputs and expected values typed from the spec. */
class WorkedExamplesTest {
    private static final float[] W_A = {
        -0.112583987f, -0.115236022f, -0.0250578579f, -0.0433878824f, 0.0848710388f, 0.0692009181f,
        -0.0316012762f, -0.211521938f, 0.0468096398f, -0.0157712456f, 0.144366011f, 0.0266049411f,
        0.016645534f, 0.0874381885f, -0.0143473847f, -0.0111609334f, 0.0931826606f, 0.125900924f,
        0.200498059f, 0.00537369028f, 0.0618056655f, -0.0412802212f, -0.0841064826f, -0.231604204f
    };
    private static final double REL = 1e-6;

    @Test
    void mseObserverOnWeight12_1() {
        try (NDManager m = Engines.newBaseManager()) {
            NDArray w = m.create(W_A, new Shape(2, 3, 2, 2));
            MseObserver perTensor = new MseObserver(QScheme.asymmetric(4, Granularity.PER_TENSOR));
            perTensor.observe(w);
            assertThat(perTensor.minVal()[0]).isEqualTo(-0.231604204f);
            assertThat(perTensor.maxVal()[0]).isEqualTo(0.200498059f); // best i = 0
            QParams t = perTensor.qparams();
            Tensors.assertClose(t.scale(), new float[] {0.0288068168f}, REL, 0);
            assertThat(t.zeroPoint()).containsExactly(8);

            MseObserver perChannel = new MseObserver(QScheme.asymmetric(4, Granularity.PER_CHANNEL));
            perChannel.observe(w);
            Tensors.assertClose(perChannel.minVal(), new float[] {-0.207291499f, -0.231604204f}, REL, 0);
            Tensors.assertClose(perChannel.maxVal(), new float[] {0.141478688f, 0.200498059f}, REL, 0);
            QParams c = perChannel.qparams();
            Tensors.assertClose(c.scale(), new float[] {0.0232513472f, 0.0288068168f}, REL, 0);
            assertThat(c.zeroPoint()).containsExactly(9, 8);
            assertThat(c.axis()).isZero();
        }
    }

    @Test
    void emaMseObserverOnActivations12_2() {
        float[] b1 = {0, 0, 0.699542403f, 0.19908163f, 0.865692377f, 0.244403899f, 0, 0.807308257f,
            0.439141572f, 1.17120075f, 0, 0, 0.061155282f, 0, 0, 0, 0, 0.335730523f};
        float[] b2 = {0.236655906f, 0, 1.14390087f, 0.662266374f, 1.74770772f, 3.02308774f, 0.322773695f,
            0, 0, 0, 2.30886889f, 0, 0, 0, 1.67602444f, 0.447202981f, 0.164828315f, 0};
        try (NDManager m = Engines.newBaseManager()) {
            EmaMseObserver ob = new EmaMseObserver(QScheme.asymmetric(4, Granularity.PER_TENSOR));
            ob.observe(m.create(b1, new Shape(2, 1, 3, 3)));
            Tensors.assertClose(ob.qparams().scale(), new float[] {0.0780800506f}, REL, 0);
            assertThat(ob.qparams().zeroPoint()).containsExactly(0);
            ob.observe(m.create(b2, new Shape(2, 1, 3, 3)));
            Tensors.assertClose(ob.maxVal(), new float[] {1.34732008f}, REL, 0);
            assertThat(ob.minVal()).containsExactly(0f);
            Tensors.assertClose(ob.qparams().scale(), new float[] {0.0898213387f}, REL, 0);
            assertThat(ob.qparams().zeroPoint()).containsExactly(0);
        }
    }

    @Test
    void learnedOffsetQuantizer12_3() {
        float[] w = {0.0784593672f, -0.0447128043f, -0.0639000535f, -0.241007432f,
            0.208892703f, -0.12664555f, 0.114621356f, 0.108189486f};
        float[] alpha = {0, 0.01f, -0.02f, 0.03f, 0.05f, -0.01f, 0.05f, 0};
        float[] g = {1, -2, 0.5f, 1, 0.3f, 0.1f, -1, 2};
        float[] soft = {0.0851911455f, -0.0425955728f, -0.0851911455f, -0.212977856f,
            0.201322958f, -0.134215295f, 0.156584516f, 0.111846089f};
        float[] nearest = {0.0851911455f, -0.0425955728f, -0.0638933629f, -0.234275654f,
            0.201322958f, -0.134215295f, 0.111846089f, 0.111846089f};
        try (NDManager m = Engines.newBaseManager()) {
            NDArray wa = m.create(w, new Shape(2, 4));
            QScheme scheme = QScheme.asymmetric(4, Granularity.PER_CHANNEL);
            LearnedOffsetQuantizer q = new LearnedOffsetQuantizer(scheme, Observer.Kind.MIN_MAX);
            q.setState(true, false);
            assertThat(q.apply(wa)).isSameAs(wa);
            Tensors.assertClose(q.qparams().scale(), new float[] {0.0212977864f, 0.0223692171f}, REL, 0);
            assertThat(q.qparams().zeroPoint()).containsExactly(11, 6);

            q.setState(false, true);
            Tensors.assertClose(q.apply(wa).toFloatArray(), nearest, REL, 0);

            try (NDManager unit = m.newSubManager()) {
                NDArray a = q.initLearning(unit, wa.getShape());
                a.set(alpha);
                assertThat(q.observing()).isFalse();
                assertThat(q.quantizing()).isTrue();
                try (GradientCollector gc = Engines.start().newGradientCollector()) {
                    NDArray out = q.apply(wa);
                    Tensors.assertClose(out.toFloatArray(), soft, REL, 0);
                    gc.backward(out.mul(m.create(g, new Shape(2, 4))).sum());
                }
                Tensors.assertClose(a.getGradient().toFloatArray(), new float[] {1, -2, 0.5f, 1, 0, 0.1f, -1, 2}, REL, 0);
                Tensors.assertClose(q.hardValue(wa).toFloatArray(), soft, REL, 0);
                q.endLearning();
                assertThat(q.trainables()).isEmpty();
            }
        }
    }
}
