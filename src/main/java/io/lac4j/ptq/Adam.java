package io.lac4j.ptq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.optim.Adam} (no weight decay, no amsgrad) on a fixed list of parameters, with
 * PyTorch's update order: {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code p ← p − (lr/bc1)·m / (sqrt(v)/sqrt(bc2) + eps)}. State lives in the manager given.
 */
public final class Adam {
    private final List<NDArray> params;
    private final NDManager manager;
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final float beta1;
    private final float beta2;
    private final float eps;
    private int step;

    public Adam(List<NDArray> params, NDManager manager) {
        this(params, manager, 0.9f, 0.999f, 1e-8f);
    }

    public Adam(List<NDArray> params, NDManager manager, float beta1, float beta2, float eps) {
        this.params = List.copyOf(params);
        this.manager = manager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (NDArray p : params) {
            m.add(manager.zeros(p.getShape()));
            v.add(manager.zeros(p.getShape()));
        }
    }

    /** One update with learning rate {@code lr} from the parameters' current gradients. */
    public void step(double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray mi = m.get(i);
            NDArray vi = v.get(i);
            try (NDManager tmp = manager.newSubManager()) {
                NDArray g = p.getGradient();
                tmp.tempAttachAll(g, mi, vi);   // temporaries land in tmp (an op joins its first input's manager)
                mi.muli(beta1).addi(g.mul(1 - beta1));
                vi.muli(beta2).addi(g.mul(g).muli(1 - beta2));
                NDArray denom = vi.sqrt().divi(bc2Sqrt).addi(eps);
                p.subi(mi.div(denom).muli(stepSize));
                g.subi(g);                     // DJL's PyTorch collector accumulates gradients
            }
        }
    }

    public int steps() {
        return step;
    }
}
