package io.lac4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Set;

/** {@code torch.nn.Conv2d}: weight {@code [out, in/groups, kh, kw]}, optional bias. */
public final class Conv2d implements WeightedLayer {
    private final TensorSlots slots = new TensorSlots("Conv2d");
    private final int in;
    private final int out;
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation;
    private final int groups;
    private WeightTransform transform = WeightTransform.IDENTITY;

    public Conv2d(NDManager manager, int in, int out, int kernel, int stride, int padding, int groups, boolean bias) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: channels " + in + "->" + out + " not divisible by groups " + groups);
        }
        this.in = in;
        this.out = out;
        this.kernel = new Shape(kernel, kernel);
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        this.dilation = new Shape(1, 1);
        this.groups = groups;
        slots.put("weight", manager.zeros(new Shape(out, in / groups, kernel, kernel), DataType.FLOAT32));
        if (bias) {
            slots.put("bias", manager.zeros(new Shape(out), DataType.FLOAT32));
        }
    }

    @Override
    public NDArray forward(NDList inputs) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = Scopes.transformed(weight(), transform, x.getManager());
        return x.getNDArrayInternal()
                .convolution(x, w, bias(), stride, padding, dilation, groups)
                .singletonOrThrow();
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

    public int inChannels() {
        return in;
    }

    public int groups() {
        return groups;
    }

    public long kernelSize() {
        return kernel.get(0);
    }

    public long paddingSize() {
        return padding.get(0);
    }

    public long strideSize() {
        return stride.get(0);
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
        var c = new Conv2d(manager, in, out, (int) kernel.get(0), (int) stride.get(0), (int) padding.get(0), groups, bias() != null);
        for (Map.Entry<String, NDArray> e : slots.view().entrySet()) {
            c.slots.assign(e.getKey(), e.getValue().duplicate());
        }
        c.transform = transform;
        return c;
    }

    @Override
    public String describe() {
        return String.format(
                "Conv2d(%d, %d, k=%d, s=%d, p=%d%s%s)",
                in, out, kernel.get(0), stride.get(0), padding.get(0),
                groups == 1 ? "" : ", groups=" + groups, bias() == null ? "" : ", bias");
    }
}
