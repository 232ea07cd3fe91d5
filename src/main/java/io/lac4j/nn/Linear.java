package io.lac4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Set;

/** {@code torch.nn.Linear}: weight {@code [out, in]}, optional bias. */
public final class Linear implements WeightedLayer {
    private final TensorSlots slots = new TensorSlots("Linear");
    private final int in;
    private final int out;
    private WeightTransform transform = WeightTransform.IDENTITY;

    public Linear(NDManager manager, int in, int out, boolean bias) {
        this.in = in;
        this.out = out;
        slots.put("weight", manager.zeros(new Shape(out, in), DataType.FLOAT32));
        if (bias) {
            slots.put("bias", manager.zeros(new Shape(out), DataType.FLOAT32));
        }
    }

    @Override
    public NDArray forward(NDList inputs) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = Scopes.transformed(weight(), transform, x.getManager());
        return x.getNDArrayInternal().linear(x, w, bias()).singletonOrThrow();
    }

    @Override
    public NDArray weight() {
        return slots.get("weight");
    }

    @Override
    public NDArray bias() {
        return slots.get("bias");
    }

    @Override
    public WeightTransform weightTransform() {
        return transform;
    }

    @Override
    public void setWeightTransform(WeightTransform transform) {
        this.transform = transform == null ? WeightTransform.IDENTITY : transform;
    }

    public int inFeatures() {
        return in;
    }

    @Override
    public Map<String, NDArray> tensors() {
        return slots.view();
    }

    @Override
    public Set<String> parameterNames() {
        return bias() == null ? Set.of("weight") : Set.of("weight", "bias");
    }

    @Override
    public void assign(String name, NDArray value) {
        slots.assign(name, value);
    }

    @Override
    public Layer copy(NDManager manager) {
        var c = new Linear(manager, in, out, bias() != null);
        for (Map.Entry<String, NDArray> e : slots.view().entrySet()) {
            c.slots.assign(e.getKey(), e.getValue().duplicate());
        }
        c.transform = transform;
        return c;
    }

    @Override
    public String describe() {
        return "Linear(" + in + ", " + out + (bias() == null ? ", no bias)" : ")");
    }
}
