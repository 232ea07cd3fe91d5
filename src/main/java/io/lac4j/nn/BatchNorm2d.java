package io.lac4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Set;

/**
 * {@code torch.nn.BatchNorm2d} (affine, tracking running stats). Eval mode normalises with the
 * running statistics; train mode with the batch statistics and updates the running ones in place
 * with PyTorch's momentum convention ({@code new = (1 - m)·old + m·batch}, unbiased variance).
 */
public final class BatchNorm2d implements Layer {
    private final TensorSlots slots = new TensorSlots("BatchNorm2d");
    private final int features;
    private final float eps;
    private final float momentum;
    private boolean training;

    public BatchNorm2d(NDManager manager, int features) {
        this(manager, features, 1e-5f, 0.1f);
    }

    public BatchNorm2d(NDManager manager, int features, float eps, float momentum) {
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        slots.put("weight", manager.ones(new Shape(features), DataType.FLOAT32));
        slots.put("bias", manager.zeros(new Shape(features), DataType.FLOAT32));
        slots.put("running_mean", manager.zeros(new Shape(features), DataType.FLOAT32));
        slots.put("running_var", manager.ones(new Shape(features), DataType.FLOAT32));
        slots.put("num_batches_tracked", manager.create(0L));
    }

    @Override
    public NDArray forward(NDList inputs) {
        NDArray x = inputs.singletonOrThrow();
        if (training) {
            // PyTorch counts batches even when a momentum is given; kept for state_dict parity.
            NDArray n = slots.get("num_batches_tracked");
            n.set(new long[] {n.getLong() + 1});
        }
        // DJL passes (1 - momentum) to torch (MXNet convention), hence the inversion; axis -1 means
        // "call torch.batch_norm directly" (channels on dim 1).
        return x.getNDArrayInternal()
                .batchNorm(x, runningMean(), runningVar(), gamma(), beta(), -1, 1f - momentum, eps, training)
                .singletonOrThrow();
    }

    public NDArray runningMean() {
        return slots.get("running_mean");
    }

    public NDArray runningVar() {
        return slots.get("running_var");
    }

    public NDArray gamma() {
        return slots.get("weight");
    }

    public NDArray beta() {
        return slots.get("bias");
    }

    public float eps() {
        return eps;
    }

    public int features() {
        return features;
    }

    @Override
    public Map<String, NDArray> tensors() {
        return slots.view();
    }

    @Override
    public Set<String> parameterNames() {
        return Set.of("weight", "bias");
    }

    @Override
    public void assign(String name, NDArray value) {
        slots.assign(name, value);
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
    public Layer copy(NDManager manager) {
        var c = new BatchNorm2d(manager, features, eps, momentum);
        for (Map.Entry<String, NDArray> e : slots.view().entrySet()) {
            c.slots.assign(e.getKey(), e.getValue().duplicate());
        }
        c.training = training;
        return c;
    }

    @Override
    public String describe() {
        return "BatchNorm2d(" + features + ")";
    }
}
