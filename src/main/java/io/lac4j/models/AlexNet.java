package io.lac4j.models;

import ai.djl.ndarray.NDManager;
import io.lac4j.nn.Graph;
import io.lac4j.nn.GraphBuilder;
import io.lac4j.nn.Ops;

/**
 * AlexNet in two layouts with the same state_dict names: torchvision's ({@link #torchvision}) and
 * Qu-ANTI-zation's CIFAR AlexNet ({@code networks/alexnet.py}) with its state_dict names:
 * {@code features.0} conv 3×3 stride 2 pad 1 → {@code .1} ReLU → {@code .2} max pool 2 → {@code .3}
 * conv 3×3 → {@code .4} ReLU → {@code .5} max pool 2 → {@code .6} conv → {@code .7} ReLU → {@code
 * .8} conv → {@code .9} ReLU → {@code .10} conv → {@code .11} ReLU → {@code .12} max pool 2 → {@code
 * reshape} → {@code classifier.0} Dropout → {@code .1} Linear(linear_in, hidden) → {@code .2} ReLU →
 * {@code .3} Dropout → {@code .4} Linear(hidden, hidden) → {@code .5} ReLU → {@code .6}
 * Linear(hidden, classes). Convs have biases; channels {@code width × [1, 3, 6, 4, 4]} (64, 192,
 * 384, 256, 256 at width 64); hidden 4096; linear_in {@code 4w·2·2} at 32 px, {@code 4w·4·4} at 64
 * px (Qu-ANTI-zation's {@code fdims}).
 */
public final class AlexNet {
    private AlexNet() {}

    /**
     * torchvision's {@code alexnet}: {@code features.0} conv 11×11 stride 4 pad 2 → ReLU → max pool
     * 3/2 → {@code .3} conv 5×5 pad 2 → ReLU → max pool 3/2 → {@code .6/.8/.10} conv 3×3 with ReLU →
     * {@code .12} max pool 3/2 → {@code avgpool} (adaptive 6×6) → {@code flatten} → the same classifier
     * as the CIFAR net with {@code linear_in = 4w·6·6}. Channels {@code width × [1, 3, 6, 4, 4]}.
     */
    public static Graph torchvision(ModelSpec spec, NDManager manager) {
        if (spec.arch() != Arch.ALEXNET) {
            throw new IllegalArgumentException("not a torchvision AlexNet: " + spec.arch());
        }
        int w = spec.width();
        GraphBuilder b = new GraphBuilder(manager);
        String x = b.conv("features.0", Graph.INPUT, spec.inChannels(), w, 11, 4, 2, true);
        x = b.relu("features.1", x);
        x = b.add("features.2", Ops.maxPool2d(3, 2, 0), x);
        x = b.conv("features.3", x, w, 3 * w, 5, 1, 2, true);
        x = b.relu("features.4", x);
        x = b.add("features.5", Ops.maxPool2d(3, 2, 0), x);
        x = convStack(b, x, w);
        x = b.add("features.12", Ops.maxPool2d(3, 2, 0), x);
        x = b.add("avgpool", Ops.adaptiveAvgPool2d(6), x);
        x = b.add("flatten", Ops.flatten(), x);
        return classifier(b, x, 4 * w * 36, spec);
    }

    public static Graph cifar(ModelSpec spec, NDManager manager) {
        if (spec.arch() != Arch.ALEXNET_CIFAR) {
            throw new IllegalArgumentException("not a CIFAR AlexNet: " + spec.arch());
        }
        int w = spec.width();
        GraphBuilder b = new GraphBuilder(manager);
        String x = b.conv("features.0", Graph.INPUT, spec.inChannels(), w, 3, 2, 1, true);
        x = b.relu("features.1", x);
        x = b.add("features.2", Ops.maxPool2d(2, 2, 0), x);
        x = b.conv("features.3", x, w, 3 * w, 3, 1, 1, true);
        x = b.relu("features.4", x);
        x = b.add("features.5", Ops.maxPool2d(2, 2, 0), x);
        x = convStack(b, x, w);
        x = b.add("features.12", Ops.maxPool2d(2, 2, 0), x);
        x = b.add("reshape", Ops.flatten(), x);
        return classifier(b, x, spec.linearIn(), spec);
    }

    /** {@code features.6..11}: three 3×3 convs with ReLU, both layouts. */
    private static String convStack(GraphBuilder b, String x, int w) {
        x = b.conv("features.6", x, 3 * w, 6 * w, 3, 1, 1, true);
        x = b.relu("features.7", x);
        x = b.conv("features.8", x, 6 * w, 4 * w, 3, 1, 1, true);
        x = b.relu("features.9", x);
        x = b.conv("features.10", x, 4 * w, 4 * w, 3, 1, 1, true);
        return b.relu("features.11", x);
    }

    /** {@code classifier.0..6}: Dropout, Linear, ReLU, Dropout, Linear, ReLU, Linear; both layouts. */
    private static Graph classifier(GraphBuilder b, String x, int linearIn, ModelSpec spec) {
        int hidden = spec.hidden();
        x = b.add("classifier.0", Ops.dropout(0.5f), x);
        x = b.linear("classifier.1", x, linearIn, hidden, true);
        x = b.relu("classifier.2", x);
        x = b.add("classifier.3", Ops.dropout(0.5f), x);
        x = b.linear("classifier.4", x, hidden, hidden, true);
        x = b.relu("classifier.5", x);
        x = b.linear("classifier.6", x, hidden, spec.numClasses(), true);
        return b.build(x);
    }
}
