package io.lac4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** The stateless layers: activations, pools, flatten, dropout, residual add, identity. */
public final class Ops {
    private Ops() {}

    /** What a stateless layer computes, for exporters ({@code kernel}, {@code stride}, {@code padding}: pools; {@code size}: adaptive pool). */
    public enum Kind { RELU, RELU6, MAX_POOL, AVG_POOL, ADAPTIVE_AVG_POOL, FLATTEN, ADD, IDENTITY, DROPOUT }

    /** A stateless layer's kind and sizes. */
    public record Spec(Kind kind, int kernel, int stride, int padding) {}

    /** The spec of a layer made here, or null for any other layer. */
    public static Spec spec(Layer layer) {
        if (layer instanceof Stateless s) {
            return s.spec();
        }
        return layer instanceof Dropout ? new Spec(Kind.DROPOUT, 0, 0, 0) : null;
    }

    /** {@code nn.ReLU} / {@code F.relu}. */
    public static Layer relu() {
        return new Stateless("ReLU", new Spec(Kind.RELU, 0, 0, 0), in -> in.singletonOrThrow().getNDArrayInternal().relu());
    }

    /** {@code nn.ReLU6}: clamp to [0, 6]. */
    public static Layer relu6() {
        return new Stateless("ReLU6", new Spec(Kind.RELU6, 0, 0, 0), in -> in.singletonOrThrow().clip(0f, 6f));
    }

    /** {@code nn.MaxPool2d(k, s, p)}. */
    public static Layer maxPool2d(int kernel, int stride, int padding) {
        Shape k = new Shape(kernel, kernel);
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(padding, padding);
        return new Stateless(
                "MaxPool2d(k=" + kernel + ", s=" + stride + ", p=" + padding + ")", new Spec(Kind.MAX_POOL, kernel, stride, padding),
                in -> in.singletonOrThrow().getNDArrayInternal().maxPool(k, s, p, false));
    }

    /** {@code nn.AvgPool2d(k, s, p)} / {@code F.avg_pool2d} (count_include_pad, floor mode). */
    public static Layer avgPool2d(int kernel, int stride, int padding) {
        Shape k = new Shape(kernel, kernel);
        Shape s = new Shape(stride, stride);
        Shape p = new Shape(padding, padding);
        return new Stateless(
                "AvgPool2d(k=" + kernel + ", s=" + stride + ")", new Spec(Kind.AVG_POOL, kernel, stride, padding),
                in -> in.singletonOrThrow().getNDArrayInternal().avgPool(k, s, p, false, true));
    }

    /** {@code nn.AdaptiveAvgPool2d((size, size))}, output {@code [N, C, size, size]}. */
    public static Layer adaptiveAvgPool2d(int size) {
        return new Stateless(
                "AdaptiveAvgPool2d(" + size + ")", new Spec(Kind.ADAPTIVE_AVG_POOL, size, 0, 0),
                in -> JniUtils.adaptiveAvgPool((PtNDArray) in.singletonOrThrow(), new Shape(size, size)));
    }

    /** {@code torch.flatten(x, 1)} / {@code x.view(N, -1)}. */
    public static Layer flatten() {
        return new Stateless("Flatten", new Spec(Kind.FLATTEN, 0, 0, 0), in -> {
            NDArray x = in.singletonOrThrow();
            return x.reshape(x.getShape().get(0), -1);
        });
    }

    /** Whether a layer is the residual add (where MQBench's layer units stop). */
    public static boolean isAdd(Layer layer) {
        return layer instanceof Stateless s && s.spec().kind() == Kind.ADD;
    }

    /** {@code a + b} (residual add). */
    public static Layer add() {
        return new Stateless("Add", new Spec(Kind.ADD, 0, 0, 0), in -> in.get(0).add(in.get(1)));
    }

    /** Passes its input through unchanged (an empty {@code nn.Sequential}). */
    public static Layer identity() {
        return new Stateless("Identity", new Spec(Kind.IDENTITY, 0, 0, 0), NDList::singletonOrThrow);
    }

    /** {@code nn.Dropout(p)}: active only in train mode. */
    public static Layer dropout(float p) {
        return new Dropout(p);
    }

    private record Stateless(String describe, Spec spec, java.util.function.Function<NDList, NDArray> fn) implements Layer {
        @Override
        public NDArray forward(NDList inputs) {
            return fn.apply(inputs);
        }
    }

    private static final class Dropout implements Layer {
        private final float p;
        private boolean training;

        Dropout(float p) {
            this.p = p;
        }

        @Override
        public NDArray forward(NDList inputs) {
            NDArray x = inputs.singletonOrThrow();
            if (!training || p == 0f) {
                return x;
            }
            return x.getNDArrayInternal().dropout(x, p, true).singletonOrThrow();
        }

        @Override
        public void setTraining(boolean training) {
            this.training = training;
        }

        @Override
        public boolean isTraining() {
            return training;
        }

        @Override
        public Layer copy(ai.djl.ndarray.NDManager manager) {
            Dropout d = new Dropout(p);
            d.training = training;
            return d;
        }

        @Override
        public String describe() {
            return "Dropout(" + p + ")";
        }
    }
}
