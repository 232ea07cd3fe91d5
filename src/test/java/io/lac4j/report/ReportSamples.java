package io.lac4j.report;

import io.lac4j.eval.DriftProfile;
import io.lac4j.eval.LayerDrift;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded report inputs shaped like a purify run on a QCB: phases, unit loss curves, two drift profiles. */
final class ReportSamples {
    static final int UNITS = 6;

    private ReportSamples() {}

    static ReportInput purifyRun() {
        SplittableRandom r = new SplittableRandom(0x1AC4L);
        List<UnitCurve> curves = new ArrayList<>();
        String[] names = {"conv1", "layer1.0.conv1", "layer1.0.conv2", "layer2.0.conv1", "layer3.0.conv1", "layer4.1.conv2"};
        for (int u = 0; u < UNITS; u++) {
            float[] l = new float[500];
            double start = 0.05 + 0.1 * u;
            for (int i = 0; i < l.length; i++) {
                l[i] = (float) (start * (0.4 + 0.6 * Math.exp(-i / 80.0)) * (1 + 0.15 * r.nextDouble()));
            }
            curves.add(new UnitCurve(names[u], l));
        }
        return new ReportInput(ResultSchemaTest.full(), curves, List.of(profile("naive_ptq", 1.0, r), profile("purified", 0.35, r)));
    }

    /** Clean drift grows slowly with depth; triggered drift jumps in the deep half by {@code backdoor}. */
    static DriftProfile profile(String phase, double backdoor, SplittableRandom r) {
        String[] layers = {"x", "relu", "layer1.0.relu", "layer1.0.relu_1", "layer1.1.relu", "layer1.1.relu_1",
            "layer2.0.relu", "layer2.0.relu_1", "layer2.1.relu", "layer2.1.relu_1", "layer3.0.relu", "layer3.0.relu_1",
            "layer3.1.relu", "layer3.1.relu_1", "layer4.0.relu", "layer4.0.relu_1", "layer4.1.relu", "view"};
        List<LayerDrift> out = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            int bits = i == 0 || i == layers.length - 1 ? 8 : 4;
            double clean = i == 0 ? 0.001 : 0.09 + 0.006 * i + 0.01 * r.nextDouble();
            double trig = clean * (1 + (i > layers.length / 2 ? backdoor * 2.5 * (i - layers.length / 2) / 4.0 : 0.05));
            out.add(new LayerDrift(layers[i], layers[i] + "_post_act_fake_quantizer", bits, clean, trig));
        }
        return new DriftProfile(phase, 512, out);
    }
}
