package io.lac4j.defense;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.lac4j.Lac4jException;
import io.lac4j.data.CalibrationList;
import io.lac4j.engine.Engines;
import io.lac4j.nn.Graph;
import io.lac4j.optim.Adam;
import io.lac4j.quant.Calibration;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.training.LrSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Quantization-aware distillation from the FP model, shared by {@code qad} and {@code qad-reset}: passes over
 * {@code n} images in a seeded order, KL(FP ‖ quantized) with the quantizers on (straight-through gradients), Adam
 * on every parameter with a cosine-decayed learning rate, and optionally a feature term that pulls one quantized
 * activation towards the FP model's. Parameters named in {@link Settings#slower()} step at a fraction of the
 * learning rate (their own Adam state), or not at all; when they are frozen, {@link Settings#prefixViews()} can put
 * the teacher and the frozen layers in a {@link FrozenPrefixCache} so a step runs the trained tail alone. After each
 * epoch the ranges follow the weights on a few activation batches (with the cache, the tail's alone: the frozen
 * layers' would come out unchanged); after the last they are observed afresh on the whole activation list, as the
 * deployment calibrates (with the cache and the deployment's ranges at hand, again the tail's alone, and the frozen
 * layers get the deployment's back).
 */
final class Distillation {
    /**
     * @param epochs passes over the images
     * @param lr Adam's learning rate at the first step
     * @param batch images per step
     * @param recalibrationBatches activation batches the ranges follow between epochs
     * @param features the feature term, or null for KL alone
     * @param slower parameters that learn more slowly, or null: every parameter at {@code lr}
     * @param prefixViews 0: every step runs its images through the teacher and the whole student; {@code k > 0}
     *     (only with the slower parameters frozen): a {@link FrozenPrefixCache} of {@code k} augmentation views and
     *     steps that run the trained tail alone
     * @param deployed with a cache, the ranges the deployment calibrated the model with: the frozen layers get theirs
     *     back at the end and only the tail is calibrated afresh; null: every range is calibrated afresh
     */
    record Settings(int epochs, double lr, int batch, int recalibrationBatches, FeatureMatch features,
                    SlowerParameters slower, int prefixViews, DeployedRanges deployed) {
        Settings {
            if (prefixViews < 0 || prefixViews > 0 && (slower == null || slower.factor() != 0)) {
                throw new IllegalArgumentException("distillation: a frozen-prefix cache (prefix views " + prefixViews
                        + ") needs views >= 0 and the layers outside the trained tail frozen (slower factor 0)");
            }
            if (deployed != null && prefixViews == 0) {
                throw new IllegalArgumentException("distillation: deployed ranges are kept only for the frozen layers"
                        + " of a frozen-prefix cache (prefix views > 0)");
            }
        }
    }

    /**
     * The parameters (state_dict keys) that step at {@code factor × lr}; factor 0 freezes them (no gradient is
     * computed for them).
     */
    record SlowerParameters(Set<String> keys, double factor) {
        SlowerParameters {
            keys = Set.copyOf(keys);
            if (!(factor >= 0 && factor < 1)) {
                throw new IllegalArgumentException("slower parameters: expected a factor in [0, 1), got " + factor);
            }
        }
    }

    /**
     * Relative squared error ‖q − f‖² / ‖f‖² between the FP model's node {@code fpNode} and the quantized model's
     * {@code quantizedNode}, weighted by {@code weight} and added to the KL term.
     */
    record FeatureMatch(String fpNode, String quantizedNode, double weight) {}

    /** The normalised training images of one step, created in {@code m}. */
    @FunctionalInterface
    interface StepImages {
        NDArray images(int[] positions, long step, NDManager m);
    }

    /** The results' settings key of the seconds each epoch took, one list per distillation of the run. */
    static final String EPOCH_SECONDS = "epoch_seconds";
    /** The results' key of the frozen-prefix cache: views kept, bytes per image and view, seconds to build. */
    static final String PREFIX_CACHE = "prefix_cache";

    private Distillation() {}

    /**
     * Distils {@code fp} into {@code qm} in place; {@code betweenEpochs} runs with gradients off after every epoch
     * but the last. {@code label} names the defense in progress lines and errors.
     */
    static void run(QuantizedModel qm, Graph fp, StepImages source, int n, CalibrationList act, long seed,
                    Runnable betweenEpochs, Settings s, String label, DefenseContext ctx) {
        Graph g = qm.graph();
        // sorted by state_dict key: parameters() may come in any order, the optimizer's state matches by position
        List<Map.Entry<String, NDArray>> sorted = g.parameters().entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList();
        SlowerParameters slower = s.slower();
        List<NDArray> params = sorted.stream().map(Map.Entry::getValue).toList();
        Map<Boolean, List<NDArray>> bySpeed = sorted.stream().collect(Collectors.partitioningBy(
                en -> slower != null && slower.keys().contains(en.getKey()),
                Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        List<NDArray> full = bySpeed.get(false);
        List<NDArray> slow = bySpeed.get(true);
        List<NDArray> trained = slower != null && slower.factor() == 0 ? full : params;
        FeatureMatch fm = s.features();
        Set<String> teacherTaps = fm == null ? Set.of() : Set.of(fm.fpNode());
        Set<String> studentTaps = fm == null ? Set.of() : Set.of(fm.quantizedNode());
        fp.setTraining(false);
        g.setTraining(false);
        try (NDManager state = ctx.manager().newSubManager();
             FrozenPrefixCache cache = s.prefixViews() == 0 ? null : prefixCache(qm, fp, source, n, s, ctx, state)) {
            Adam opt = new Adam(full, state, 0.0);
            Adam slowOpt = slow.isEmpty() || slower.factor() == 0 ? null : new Adam(slow, state, 0.0);
            SplittableRandom order = new SplittableRandom(seed);
            int steps = (n + s.batch() - 1) / s.batch();
            // per attempt, the seconds of every epoch: whether a slow run is slow throughout (the machine) or slows
            // down as it trains (the numbers it computes on)
            List<Double> epochSeconds = new java.util.ArrayList<>();
            @SuppressWarnings("unchecked")
            List<List<Double>> attempts = (List<List<Double>>) ctx.facts().computeIfAbsent(EPOCH_SECONDS,
                    k -> new java.util.ArrayList<List<Double>>());
            attempts.add(epochSeconds);
            for (int e = 0; e < s.epochs(); e++) {
                long epochStart = System.nanoTime();
                int[] perm = permutation(n, order);
                setRequiresGradient(trained, true);
                for (int b = 0; b < steps; b++) {
                    int step = e * steps + b;
                    double lr = LrSchedule.cosine().lr(s.lr(), step, s.epochs() * steps);
                    int[] positions = Arrays.copyOfRange(perm, b * s.batch(), Math.min(n, (b + 1) * s.batch()));
                    try (NDManager m = state.newSubManager()) {
                        // a conv attaches its weight to the input's manager: the step's own arrays keep it there
                        m.tempAttachAll(params.toArray(NDArray[]::new));
                        NDArray teacher;
                        NDArray teacherFeature;
                        Supplier<Map<String, NDArray>> student;
                        if (cache == null) {
                            NDArray x = source.images(positions, step, m);
                            Map<String, NDArray> teacherOut = fp.forward(x, teacherTaps, null);
                            teacher = teacherOut.get(fp.output()).softmax(1);
                            teacherFeature = fm == null ? null : teacherOut.get(fm.fpNode());
                            student = () -> g.forward(x, studentTaps, null);
                        } else {
                            FrozenPrefixCache.Step cached = cache.step(e, positions, m);
                            teacher = cached.teacherProbabilities();
                            teacherFeature = cached.teacherFeature();
                            student = () -> g.run(new HashMap<>(cached.tailInputs()), cache.tail());
                        }
                        qm.enableQuantization();
                        float loss;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            Map<String, NDArray> studentOut = student.get();
                            NDArray logp = studentOut.get(g.output()).logSoftmax(1);
                            NDArray total = teacher.mul(teacher.add(1e-12f).log().sub(logp)).sum(new int[] {1}).mean();
                            if (fm != null) {
                                NDArray f = teacherFeature;
                                NDArray q = studentOut.get(fm.quantizedNode());
                                NDArray rel = q.sub(f).square().sum().div(f.square().sum().add(1e-12f));
                                // a libtorch scalar, not a Java number: backward reads the factor (FreedBufferPoison)
                                total = total.add(rel.mul(Engines.scalar(m, fm.weight())));
                            }
                            loss = total.getFloat();
                            if (!Float.isFinite(loss)) {
                                throw new Lac4jException(label + ": epoch " + (e + 1) + " step " + (b + 1) + ": loss is " + loss);
                            }
                            Engines.backward(gc, total);
                        }
                        opt.step(lr);
                        if (slowOpt != null) {
                            slowOpt.step(lr * slower.factor());
                        }
                        ctx.progress().step(label + ": distilling, epoch " + (e + 1) + "/" + s.epochs(), b + 1, steps,
                                String.format("loss %.4f", loss));
                    }
                }
                setRequiresGradient(params, false);
                boolean last = e == s.epochs() - 1;
                if (cache != null && (!last || s.deployed() != null)) {
                    cache.recalibrateTail(qm, act, last ? act.size() : Math.min(s.recalibrationBatches(), act.size()),
                            ctx.manager());
                    if (last) {
                        // what a fresh calibration would measure again for the frozen layers: the deployment's ranges
                        s.deployed().restoreOutside(cache.tail(), qm);
                    }
                } else {
                    recalibrate(qm, act, last ? act.size() : Math.min(s.recalibrationBatches(), act.size()), ctx);
                }
                if (!last) {
                    betweenEpochs.run();
                }
                epochSeconds.add(Math.round((System.nanoTime() - epochStart) / 1e8) / 10.0);
            }
        } finally {
            setRequiresGradient(params, false);
        }
    }

    /** Builds the cache (gradients off) and records what it kept and what it took. */
    private static FrozenPrefixCache prefixCache(QuantizedModel qm, Graph fp, StepImages source, int n, Settings s,
                                                 DefenseContext ctx, NDManager state) {
        // Settings admit a cache only with the slower parameters frozen: every other one is trained
        Set<String> trainedKeys = qm.graph().parameters().keySet().stream().filter(k -> !s.slower().keys().contains(k))
                .collect(Collectors.toSet());
        long t0 = System.nanoTime();
        FrozenPrefixCache cache = FrozenPrefixCache.build(qm, fp, trainedKeys, source, n, s.batch(), s.prefixViews(),
                s.features(), state);
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("views", cache.views());
        facts.put("bytes_per_image_and_view", cache.bytesPerImage());
        facts.put("tail_first_node", cache.tail().get(0).name());
        facts.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        @SuppressWarnings("unchecked")
        List<Object> builds = (List<Object>) ctx.facts().computeIfAbsent(PREFIX_CACHE, k -> new ArrayList<>());
        builds.add(facts);
        return cache;
    }

    private static void setRequiresGradient(List<NDArray> params, boolean on) {
        for (NDArray p : params) {
            p.setRequiresGradient(on);
        }
    }

    /** Fresh observers, then the deployment's calibration on the first {@code batches} of the clean activation list. */
    static void recalibrate(QuantizedModel qm, CalibrationList act, int batches, DefenseContext ctx) {
        for (FakeQuantizer q : qm.quantizers()) {
            if (q.observer() != null) {
                q.observer().reset();
            }
        }
        Calibration.run(qm, batches, act::batch, ctx.manager(), ctx.progress());
    }

    private static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
