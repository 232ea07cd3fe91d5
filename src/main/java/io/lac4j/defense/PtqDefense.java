package io.lac4j.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.engine.Mt19937;
import io.lac4j.ptq.EfrapConfig;
import io.lac4j.ptq.EfrapRounding;
import io.lac4j.ptq.LacAct;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.ptq.UnitReport;
import io.lac4j.ptq.WeightRounding;
import io.lac4j.quant.Observer;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.quant.QuantizerKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A post-training-quantization defense: a quantizer transform, and optionally a reconstruction —
 * a weight-rounding strategy learned unit by unit on the clean reconstruction list (LAC's loop) with
 * PDA on, off, or as configured. Without a rounding the calibrated model is the defended one (naive
 * PTQ, minmax). The factories below are the built-in PTQ defenses.
 */
public final class PtqDefense implements Defense {
    /** Whether PDA runs: the defense decides, or the options say (purify's YAML). */
    public enum PdaMode { OFF, ON, AS_CONFIGURED }

    private final String name;
    private final String phase;
    private final String description;
    private final UnaryOperator<QuantConfig> quantizer;
    private final Function<DefenseOptions, WeightRounding> rounding;
    private final UnaryOperator<ReconstructionConfig> reconstruction;
    private final PdaMode pda;
    private final Function<DefenseOptions, Map<String, Object>> settings;
    private final java.util.Set<String> reads;

    /**
     * @param rounding the rounding strategy for the run's options, or null: calibration only
     * @param reconstruction how the defense changes the options' reconstruction settings
     * @param settings what results.json records of the options (empty for most)
     */
    public PtqDefense(String name, String phase, String description, UnaryOperator<QuantConfig> quantizer,
                      Function<DefenseOptions, WeightRounding> rounding, UnaryOperator<ReconstructionConfig> reconstruction,
                      PdaMode pda, Function<DefenseOptions, Map<String, Object>> settings) {
        this(name, phase, description, quantizer, rounding, reconstruction, pda, settings, java.util.Set.of());
    }

    /** @param reads the options of {@link Defenses#OWN_OPTIONS} the defense reads ({@link Defense#reads()}) */
    private PtqDefense(String name, String phase, String description, UnaryOperator<QuantConfig> quantizer,
                       Function<DefenseOptions, WeightRounding> rounding, UnaryOperator<ReconstructionConfig> reconstruction,
                       PdaMode pda, Function<DefenseOptions, Map<String, Object>> settings, java.util.Set<String> reads) {
        this.name = name;
        this.phase = phase;
        this.description = description;
        this.quantizer = quantizer;
        this.rounding = rounding;
        this.reconstruction = reconstruction;
        this.pda = pda;
        this.settings = settings;
        this.reads = java.util.Set.copyOf(reads);
    }

    /** Naive PTQ with the deployment's own quantizer: the attack's deployment, the baseline of every comparison. */
    public static PtqDefense naive() {
        return new PtqDefense("naive", "naive_ptq", "naive PTQ with the deployment's quantizer (no defense)",
                UnaryOperator.identity(), null, UnaryOperator.identity(), PdaMode.OFF, o -> Map.of());
    }

    /** Naive PTQ with MinMax ranges for weights and activations (no clipping). */
    public static PtqDefense minMax() {
        return new PtqDefense("minmax", "minmax", "naive PTQ with MinMax weight and activation ranges",
                q -> q.withKinds(Observer.Kind.MIN_MAX, Observer.Kind.MIN_MAX, QuantizerKind.FIXED, QuantizerKind.FIXED),
                null, UnaryOperator.identity(), PdaMode.OFF, o -> Map.of());
    }

    /** Upstream AdaRound (rectified sigmoid, β annealed 20 → 2): reconstruction without defense intent. */
    public static PtqDefense adaRound() {
        return new PtqDefense("adaround", "adaround", "AdaRound reconstruction (no defense intent)",
                q -> q.withKinds(q.weightObserver(), q.activationObserver(), QuantizerKind.ADAROUND_SIGMOID, QuantizerKind.FIXED),
                o -> new EfrapRounding(EfrapConfig.adaRound(o.reconstruction().maxCount()), "adaround"),
                UnaryOperator.identity(), PdaMode.OFF, o -> Map.of());
    }

    /** Faithful LAC: layer-wise activation correction by learned rounding offsets. */
    public static PtqDefense lac() {
        return new PtqDefense("lac", "lac", "LAC, the reference's layer-wise activation correction",
                UnaryOperator.identity(), o -> WeightRounding.LAC, UnaryOperator.identity(), PdaMode.OFF, o -> Map.of());
    }

    /** LAC with PDA (poisoned distribution approximation from BN statistics). */
    public static PtqDefense lacPda() {
        return new PtqDefense("lac+pda", "lac_pda", "LAC with PDA (the reference's full defense)",
                UnaryOperator.identity(), o -> WeightRounding.LAC, UnaryOperator.identity(), PdaMode.ON, o -> Map.of());
    }

    /** lac4j's lac-act preset: MinMax activation ranges and BN learned, LAC + PDA. */
    public static PtqDefense lacAct() {
        return new PtqDefense("lac-act", "lac_act", "LAC + PDA with MinMax activation ranges and BN learned (lac4j)",
                LacAct::quant, o -> WeightRounding.LAC, LacAct::reconstruction, PdaMode.ON, o -> Map.of());
    }

    /** EFRAP: flip-aware rounding, released-code defaults. */
    public static PtqDefense efrap() {
        return new PtqDefense("efrap", "efrap", "EFRAP, error-guided flipped rounding with activation preservation",
                q -> q.withKinds(q.weightObserver(), q.activationObserver(), QuantizerKind.EFRAP_ADAROUND, QuantizerKind.FIXED),
                o -> new EfrapRounding(o.efrap(), "efrap"), UnaryOperator.identity(), PdaMode.OFF,
                o -> Map.of("efrap", Map.of("lambda_flip", o.efrap().lambdaFlip(), "lambda_round", o.efrap().lambdaRound(),
                        "beta", o.efrap().beta(), "weighting", o.efrap().weighting().configName())),
                java.util.Set.of(Defenses.LAMBDA_FLIP, Defenses.LAMBDA_ROUND, Defenses.WEIGHTING));
    }

    /**
     * LAC's reconstruction exactly as the options configure it (purify's YAML: its quantizer,
     * reconstruction and PDA settings are already resolved); {@code method} names the result.
     */
    public static PtqDefense asConfigured(String method) {
        return new PtqDefense(method, "purified", "LAC as configured", UnaryOperator.identity(), o -> WeightRounding.LAC,
                UnaryOperator.identity(), PdaMode.AS_CONFIGURED, o -> Map.of());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String phase() {
        return phase;
    }

    @Override
    public String description() {
        return description;
    }

    /** EFRAP reads its loss weights and flip weighting; the other reconstructions and calibrations none. */
    @Override
    public java.util.Set<String> reads() {
        return reads;
    }

    @Override
    public QuantConfig quantizer(QuantConfig deployment) {
        return quantizer.apply(deployment);
    }

    /** Reconstructing defenses write {@code purified.pth}, as purify does. */
    @Override
    public String modelFileName() {
        return "purified.pth";
    }

    @Override
    public Map<String, Object> settings(DefenseOptions options) {
        return new LinkedHashMap<>(settings.apply(options));
    }

    /** Whether this defense learns a rounding (false: calibration only). */
    public boolean reconstructs() {
        return rounding != null;
    }

    @Override
    public Defended apply(DefenseContext ctx) {
        if (rounding == null) {
            return null;
        }
        DefenseOptions o = ctx.options();
        QuantizedModel qm = ctx.calibrated();
        PdaConfig pdaConfig = switch (pda) {
            case OFF -> o.pda().withEnabled(false);
            case ON -> o.pda().withEnabled(true);
            case AS_CONFIGURED -> o.pda();
        };
        try (NDManager calScope = ctx.manager().newSubManager()) {
            List<NDArray> images = ctx.calibration().reconstruction().batches(calScope);
            long t0 = System.nanoTime();
            List<UnitReport> units = LacReconstruction.run(qm, ctx.fp(), images, reconstruction.apply(o.reconstruction()),
                    pdaConfig, rounding.apply(o), new Mt19937(o.seed()), ctx.manager(), ctx.progress(), ctx.unitListener(),
                    ctx.unitsDone());
            ctx.timings().put("reconstruction_total", (System.nanoTime() - t0) / 1e9);
            return new Defended(qm, units);
        }
    }
}
