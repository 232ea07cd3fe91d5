package io.lac4j.ptq;

import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.GraphBuilder;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.testing.Golden;
import java.util.Map;

/**
 * The fixture unit of tools/fixtures/gen_ptq.py as a lac4j graph: conv -> bn -> relu -> (4-bit
 * activation quantizer) -> a 1×1 head that only exists so the ReLU output gets its quantizer.
 */
final class TinyUnit {
    private TinyUnit() {}

    static Graph fp(Golden g, NDManager m) {
        long[] w = g.shape("conv.weight");
        int cout = (int) w[0];
        int cin = (int) w[1];
        int k = (int) w[2];
        GraphBuilder b = new GraphBuilder(m.newSubManager());
        String x = b.conv("conv", Graph.INPUT, cin, cout, k, 1, k / 2, false);
        x = b.bn("bn", x, cout);
        x = b.relu("relu", x);
        x = b.conv("head", x, cout, 2, 1, 1, 0, false);
        Graph graph = b.build(x);
        for (String key : new String[] {"conv.weight", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"}) {
            graph.assign(key, g.array(key, m));
        }
        graph.setTraining(false);
        return graph;
    }

    /** The quantized copy with the fixture's calibrated (s, z), all quantizers on. */
    static QuantizedModel quantized(Golden g, Graph fp, NDManager m) {
        return quantized(g, fp, m, QuantPreset.ACADEMIC_W4A4.config());
    }

    static QuantizedModel quantized(Golden g, Graph fp, NDManager m, QuantConfig config) {
        QuantizedModel qm = QuantizedModel.prepare(fp, config, new PrepareOptions(false, Map.of(), Map.of()), m);
        float[] ws = g.floats("w_scale");
        long[] wz = g.longs("w_zero_point");
        int[] wzi = new int[wz.length];
        for (int i = 0; i < wz.length; i++) {
            wzi[i] = (int) wz[i];
        }
        qm.weightQuantizers().get("conv").setQParams(new QParams(ws, wzi, 0));
        qm.activationQuantizers().get("relu_post_act_fake_quantizer")
                .setQParams(QParams.perTensor(g.floats("a_scale")[0], (int) g.longs("a_zero_point")[0]));
        qm.enableQuantization();
        // the input quantizer plays no part in a unit (its output is what gets cached)
        qm.activationQuantizers().get("x_post_act_fake_quantizer").setState(false, false);
        return qm;
    }
}
