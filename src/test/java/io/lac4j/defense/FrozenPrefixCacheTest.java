package io.lac4j.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.data.CalibrationList;
import io.lac4j.data.InMemoryDataset;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.models.Arch;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Node;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantPreset;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.testing.Poisoned;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * qad-reset's frozen-prefix cache: with images that do not change from step to step, a distillation that runs the
 * trained tail on cached prefix values ends where the one that runs the whole network every step ends (the earlier
 * layers untouched in both); epochs cycle through the cached views; the cache is refused when a layer before the
 * tail learns.
 */
class FrozenPrefixCacheTest {
    private static final int N = 16;
    private static final int BATCH = 8;

    static Graph randomised(NDManager m) {
        Graph g = ModelZoo.build(ModelSpec.of(Arch.RESNET18_CIFAR, 1, 10, 2), m);
        SplittableRandom r = new SplittableRandom(7);
        for (Map.Entry<String, NDArray> e : g.parameters().entrySet()) {
            float[] v = new float[(int) e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.3 + (e.getKey().endsWith(".weight") && e.getKey().contains("bn") ? 1 : 0));
            }
            e.getValue().set(v);
        }
        g.setTraining(false);
        return g;
    }

    private static float[] images(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[count * 28 * 28];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** The rows of {@code all} at {@code positions}, plus {@code shift} (a view's offset, or 0). */
    private static NDArray rows(float[] all, int[] positions, float shift, NDManager m) {
        float[] out = new float[positions.length * 28 * 28];
        for (int i = 0; i < positions.length; i++) {
            for (int j = 0; j < 28 * 28; j++) {
                out[i * 28 * 28 + j] = all[positions[i] * 28 * 28 + j] + shift;
            }
        }
        return m.create(out, new Shape(positions.length, 1, 28, 28));
    }

    /** The same {@code N} training images at every step (no augmentation). */
    private static Distillation.StepImages fixedImages() {
        float[] train = images(21, N);
        return (positions, step, mm) -> rows(train, positions, 0, mm);
    }

    static CalibrationList activationList() {
        int count = 64;
        byte[] pixels = new byte[count * 28 * 28];
        new SplittableRandom(3).nextBytes(pixels);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
        }
        InMemoryDataset ds = new InMemoryDataset("random", 1, 28, 28, 10, pixels, labels);
        CalibrationConfig cfg = new CalibrationConfig(BATCH, 2, 2, 0.5, CalibrationConfig.Subset.FIRST, false,
                CalibrationConfig.ActivationSource.TEST);
        return CalibrationData.draw(ds, ds, Normalization.FASHION_MNIST, new SplittableRandom(5), cfg).activation();
    }

    static DefenseContext context(NDManager m, Map<String, Object> facts) {
        return (DefenseContext) Proxy.newProxyInstance(DefenseContext.class.getClassLoader(),
                new Class<?>[] {DefenseContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "manager" -> m;
                    case "facts" -> facts;
                    case "progress" -> Progress.NONE;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The QCB-free start both runs share: quantized, ranges observed, last stage reset with the same draw. */
    private static QuantizedModel resetModel(Graph fp, CalibrationList act, NDManager m) {
        QuantizedModel qm = QuantizedModel.prepare(fp, QuantPreset.ACADEMIC_W4A4.config(), PrepareOptions.ACADEMIC, m);
        List<Node> stage = LastStageReset.nodes(qm.graph(), "layer4");
        qm.disableAll();
        LastStageReset.reset(qm.graph(), stage, new SplittableRandom(11), act.size(), act::batch, m);
        Distillation.recalibrate(qm, act, act.size(), context(m, new HashMap<>()));
        return qm;
    }

    private static Distillation.Settings settings(QuantizedModel qm, Graph fp, int views) {
        List<Node> stage = LastStageReset.nodes(qm.graph(), "layer4");
        return new Distillation.Settings(2, 1e-2, BATCH, 2, new Distillation.FeatureMatch(
                ResetDistillation.classifierInput(fp), ResetDistillation.classifierInput(qm.graph()), 1.0),
                ResetDistillation.earlierLayers(qm.graph(), stage, 0), views, null);
    }

    private static Map<String, float[]> snapshot(Graph g) {
        Map<String, float[]> s = new LinkedHashMap<>();
        g.parameters().forEach((k, v) -> s.put(k, v.toFloatArray()));
        return s;
    }

    @Test
    void recalibratingTheTailAloneSetsEveryRangeAsRecalibratingTheWholeModel() {
        Distillation.StepImages fixed = fixedImages();
        try (NDManager m = Engines.newBaseManager(); Graph fp = randomised(m)) {
            CalibrationList act = activationList();
            try (QuantizedModel whole = resetModel(fp, act, m); QuantizedModel tailOnly = resetModel(fp, act, m)) {
                Distillation.Settings s = settings(tailOnly, fp, 1);
                java.util.Set<String> trained = trainedKeys(tailOnly, s);
                try (FrozenPrefixCache cache = FrozenPrefixCache.build(tailOnly, fp, trained, fixed, N, BATCH, 1,
                        s.features(), m)) {
                    moveTheSame(trained, 13, whole, tailOnly);
                    List<String> before = ranges(tailOnly);
                    Distillation.recalibrate(whole, act, 2, context(m, new HashMap<>()));
                    cache.recalibrateTail(tailOnly, act, 2, m);
                    assertThat(ranges(tailOnly)).as("every quantizer, prefix and tail").containsExactlyElementsOf(ranges(whole));
                    assertThat(ranges(tailOnly)).as("the tail's ranges followed its weights").isNotEqualTo(before);
                    assertThat(tailOnly.quantizers()).allSatisfy(q -> assertThat(q.quantizing()).isTrue());
                    cache.recalibrateTail(tailOnly, act, 2, m);
                    assertThat(ranges(tailOnly)).as("again, from the kept FP values").containsExactlyElementsOf(ranges(whole));
                }
            }
        }
    }

    @Test
    void atTheEndTheTailsFreshCalibrationAndTheDeployedRangesAreWhatAWholeCalibrationGives() {
        Distillation.StepImages fixed = fixedImages();
        try (NDManager m = Engines.newBaseManager(); Graph fp = randomised(m)) {
            CalibrationList act = activationList();
            assertThat(act.size()).as("more batches than the epochs' recalibration reads").isGreaterThan(1);
            // both models start as the deployment calibrated them: every range on every activation batch
            try (QuantizedModel whole = resetModel(fp, act, m); QuantizedModel tailOnly = resetModel(fp, act, m)) {
                DeployedRanges deployed = DeployedRanges.of(tailOnly);
                Distillation.Settings s = settings(tailOnly, fp, 1);
                java.util.Set<String> trained = trainedKeys(tailOnly, s);
                try (FrozenPrefixCache cache = FrozenPrefixCache.build(tailOnly, fp, trained, fixed, N, BATCH, 1,
                        s.features(), m)) {
                    // as qad-reset trains: every range on one batch, then the tail's weights move
                    Distillation.recalibrate(whole, act, 1, context(m, new HashMap<>()));
                    Distillation.recalibrate(tailOnly, act, 1, context(m, new HashMap<>()));
                    moveTheSame(trained, 17, whole, tailOnly);
                    Distillation.recalibrate(whole, act, act.size(), context(m, new HashMap<>()));
                    cache.recalibrateTail(tailOnly, act, act.size(), m);
                    assertThat(ranges(tailOnly)).as("the frozen layers still hold their one-batch ranges")
                            .isNotEqualTo(ranges(whole));
                    deployed.restoreOutside(cache.tail(), tailOnly);
                    assertThat(ranges(tailOnly)).containsExactlyElementsOf(ranges(whole));
                }
            }
        }
    }

    /** The parameters {@code s} trains: all but its frozen ones. */
    private static java.util.Set<String> trainedKeys(QuantizedModel qm, Distillation.Settings s) {
        java.util.Set<String> trained = new java.util.HashSet<>(qm.graph().parameters().keySet());
        trained.removeAll(s.slower().keys());
        return trained;
    }

    /** What an epoch does to the tail: the same Gaussian move of the {@code trained} parameters in both models. */
    private static void moveTheSame(java.util.Set<String> trained, long seed, QuantizedModel a, QuantizedModel b) {
        SplittableRandom r = new SplittableRandom(seed);
        for (String k : trained) {
            float[] v = a.graph().parameters().get(k).toFloatArray();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (0.2 * r.nextGaussian());
            }
            a.graph().parameters().get(k).set(v);
            b.graph().parameters().get(k).set(v);
        }
    }

    static List<String> ranges(QuantizedModel qm) {
        return qm.quantizers().stream().map(q -> java.util.Arrays.toString(q.qparams().scale()) + "/"
                + java.util.Arrays.toString(q.qparams().zeroPoint())).toList();
    }

    @Test
    void aDistillationWithItsFeatureTermComputesTheSameWhenFreedBuffersArePoisoned() {
        Distillation.StepImages fixed = fixedImages();
        try (NDManager m = Engines.newBaseManager(); Graph fp = randomised(m)) {
            CalibrationList act = activationList();
            try (QuantizedModel clean = resetModel(fp, act, m); QuantizedModel poisoned = resetModel(fp, act, m)) {
                Poisoned.never(() -> {
                    Distillation.run(clean, fp, fixed, N, act, 9, () -> { }, settings(clean, fp, 2), "clean",
                            context(m, new HashMap<>()));
                    return null;
                });
                Poisoned.everyPass(() -> {
                    Distillation.run(poisoned, fp, fixed, N, act, 9, () -> { }, settings(poisoned, fp, 2), "poisoned",
                            context(m, new HashMap<>()));
                    return null;
                });
                Map<String, float[]> a = snapshot(clean.graph());
                Map<String, float[]> b = snapshot(poisoned.graph());
                assertThat(b).allSatisfy((k, v) -> assertThat(v).as(k).containsExactly(a.get(k)));
            }
        }
    }

    @Test
    void withFixedImagesTheCachedTailEndsWhereTheWholeNetworkEnds() {
        Distillation.StepImages fixed = fixedImages();
        try (NDManager m = Engines.newBaseManager(); Graph fp = randomised(m)) {
            CalibrationList act = activationList();
            Map<String, Object> liveFacts = new HashMap<>();
            Map<String, Object> cachedFacts = new HashMap<>();
            try (QuantizedModel live = resetModel(fp, act, m); QuantizedModel cached = resetModel(fp, act, m)) {
                Map<String, float[]> start = snapshot(live.graph());
                assertThat(snapshot(cached.graph())).as("the same start").allSatisfy((k, v) ->
                        assertThat(v).containsExactly(start.get(k)));
                Distillation.run(live, fp, fixed, N, act, 9, () -> { }, settings(live, fp, 0), "live", context(m, liveFacts));
                Distillation.run(cached, fp, fixed, N, act, 9, () -> { }, settings(cached, fp, 2), "cached",
                        context(m, cachedFacts));
                Map<String, float[]> a = snapshot(live.graph());
                Map<String, float[]> b = snapshot(cached.graph());
                double largestMove = 0;
                for (String k : start.keySet()) {
                    boolean inTail = k.startsWith("layer4") || k.startsWith("linear");
                    if (!inTail) {
                        assertThat(a.get(k)).as("frozen %s, live", k).containsExactly(start.get(k));
                        assertThat(b.get(k)).as("frozen %s, cached", k).containsExactly(start.get(k));
                        continue;
                    }
                    for (int i = 0; i < a.get(k).length; i++) {
                        largestMove = Math.max(largestMove, Math.abs(a.get(k)[i] - start.get(k)[i]));
                        assertThat(b.get(k)[i]).as("%s[%d]", k, i)
                                .isCloseTo(a.get(k)[i], org.assertj.core.api.Assertions.within(1e-4f));
                    }
                }
                assertThat(largestMove).as("the tail learned something").isGreaterThan(1e-3);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> builds = (List<Map<String, Object>>) cachedFacts.get(Distillation.PREFIX_CACHE);
                assertThat(builds).singleElement().satisfies(f -> {
                    assertThat(f.get("views")).isEqualTo(2);
                    assertThat(f.get("tail_first_node")).isEqualTo("layer4.0.conv1");
                });
                assertThat(liveFacts).doesNotContainKey(Distillation.PREFIX_CACHE);
            }
        }
    }

    @Test
    void epochsCycleThroughTheViewsAndEachViewIsItsOwnDraw() {
        float[] train = images(22, N);
        // the view's number, from the high half of the draw's key, shifts every pixel of that view
        Distillation.StepImages byView = (positions, key, mm) -> rows(train, positions, (float) (key >>> 32), mm);
        try (NDManager m = Engines.newBaseManager(); Graph fp = randomised(m)) {
            CalibrationList act = activationList();
            try (QuantizedModel qm = resetModel(fp, act, m)) {
                Distillation.Settings s = settings(qm, fp, 3);
                java.util.Set<String> trained = new java.util.HashSet<>(qm.graph().parameters().keySet());
                trained.removeAll(s.slower().keys());
                try (FrozenPrefixCache cache = FrozenPrefixCache.build(qm, fp, trained, byView, N, BATCH, 3, s.features(), m);
                     NDManager step = m.newSubManager()) {
                    assertThat(cache.views()).isEqualTo(3);
                    assertThat(FrozenPrefixCache.frontier(cache.tail())).as("the tail reads one prefix value").hasSize(1);
                    int[] positions = {5, 0, 9};
                    float[] e0 = cache.step(0, positions, step).teacherProbabilities().toFloatArray();
                    float[] e1 = cache.step(1, positions, step).teacherProbabilities().toFloatArray();
                    float[] e3 = cache.step(3, positions, step).teacherProbabilities().toFloatArray();
                    assertThat(e3).as("epoch 3 trains on view 0 again").containsExactly(e0);
                    assertThat(e1).as("view 1 is another draw").isNotEqualTo(e0);
                    NDArray x = rows(train, positions, 1, step);
                    float[] direct = fp.forward(x).softmax(1).toFloatArray();
                    for (int i = 0; i < direct.length; i++) {
                        assertThat(e0[i]).as("view 0 is the teacher on view 0's images").isCloseTo(direct[i],
                                org.assertj.core.api.Assertions.within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void theCacheIsRefusedUnlessTheLayersBeforeTheTailAreFrozen() {
        Distillation.SlowerParameters slow = new Distillation.SlowerParameters(java.util.Set.of("conv1.weight"), 0.1);
        assertThatThrownBy(() -> new Distillation.Settings(1, 1e-3, 8, 1, null, slow, 4, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frozen");
        assertThatThrownBy(() -> new Distillation.Settings(1, 1e-3, 8, 1, null, null, 4, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResetDistillation.Settings.DEFAULT.withViews(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ResetDistillation.Settings.DEFAULT.views()).isPositive();
    }
}
