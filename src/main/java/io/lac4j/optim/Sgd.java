package io.lac4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.SGD} (dampening 0): {@code g ← g + wd·p}; with momentum {@code b ← g} at the
 * first step, {@code b ← m·b + g} after; {@code g ← g + m·b} (Nesterov) or {@code g ← b}; {@code p
 * ← p − lr·g}.
 */
public final class Sgd implements Optimizer {
    private final List<NDArray> params;
    private final NDManager manager;
    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;
    private final List<NDArray> buffers = new ArrayList<>();
    private long steps;

    public Sgd(List<NDArray> params, NDManager manager, double momentum, double weightDecay, boolean nesterov) {
        if (nesterov && momentum <= 0) {
            throw new IllegalArgumentException("nesterov: expected momentum > 0, got " + momentum);
        }
        this.params = List.copyOf(params);
        this.manager = manager;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        for (int i = 0; i < params.size(); i++) {
            buffers.add(null);
        }
    }

    @Override
    public void step(double lr) {
        float rate = (float) lr;
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            try (NDManager tmp = manager.newSubManager()) {
                NDArray grad = p.getGradient();
                tmp.tempAttachAll(grad, p);
                NDArray g = weightDecay != 0f ? grad.add(p.mul(weightDecay)) : grad.duplicate();
                if (momentum != 0f) {
                    NDArray b = buffers.get(i);
                    if (b == null) {
                        b = g.duplicate();
                        b.attach(manager);
                        buffers.set(i, b);
                        tmp.tempAttachAll(b);
                    } else {
                        tmp.tempAttachAll(b);
                        b.muli(momentum).addi(g);
                    }
                    g = nesterov ? g.add(b.mul(momentum)) : b;
                }
                p.subi(g.mul(rate));
                grad.subi(grad);
            }
        }
        steps++;
    }

    @Override
    public Map<String, NDArray> state() {
        return Optimizer.named("momentum_buffer", buffers);
    }

    @Override
    public void load(Map<String, float[]> state, long steps) {
        for (int i = 0; i < params.size(); i++) {
            float[] b = state.get(i + ".momentum_buffer");
            if (b != null) {
                Shape shape = params.get(i).getShape();
                buffers.set(i, manager.create(b, shape));
            }
        }
        this.steps = steps;
    }

    @Override
    public long steps() {
        return steps;
    }
}
