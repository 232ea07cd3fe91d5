package io.lac4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adam} with L2 weight decay ({@code g ← g + wd·p}, as Qu-ANTI-zation uses it),
 * betas (0.9, 0.999), eps 1e−8, no amsgrad; PyTorch's update {@code p ← p − (lr/bc1)·m /
 * (sqrt(v)/sqrt(bc2) + eps)}.
 */
public final class Adam implements Optimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPS = 1e-8f;
    private final List<NDArray> params;
    private final NDManager manager;
    private final float weightDecay;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private long steps;

    public Adam(List<NDArray> params, NDManager manager, double weightDecay) {
        this.params = List.copyOf(params);
        this.manager = manager;
        this.weightDecay = (float) weightDecay;
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape()));
            v.add(manager.zeros(p.getShape()));
        }
    }

    @Override
    public void step(double lr) {
        steps++;
        double bc1 = 1 - Math.pow(BETA1, steps);
        double bc2 = 1 - Math.pow(BETA2, steps);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray mi = m.get(i);
            NDArray vi = v.get(i);
            try (NDManager tmp = manager.newSubManager()) {
                NDArray grad = p.getGradient();
                tmp.tempAttachAll(grad, p, mi, vi);
                NDArray g = weightDecay != 0f ? grad.add(p.mul(weightDecay)) : grad;
                mi.muli(BETA1).addi(g.mul(1 - BETA1));
                vi.muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
                NDArray denom = vi.sqrt().divi(bc2Sqrt).addi(EPS);
                p.subi(mi.div(denom).muli(stepSize));
                grad.subi(grad);
            }
        }
    }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>(Optimizer.named("exp_avg", m));
        out.putAll(Optimizer.named("exp_avg_sq", v));
        return out;
    }

    @Override
    public void load(Map<String, float[]> state, long steps) {
        for (int i = 0; i < params.size(); i++) {
            float[] a = state.get(i + ".exp_avg");
            float[] b = state.get(i + ".exp_avg_sq");
            if (a != null && b != null) {
                m.get(i).set(a);
                v.get(i).set(b);
            }
        }
        this.steps = steps;
    }

    @Override
    public long steps() {
        return steps;
    }
}
