package io.lac4j.cli.config;

import io.lac4j.InputException;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.pipeline.DataSource;
import io.lac4j.pipeline.ModelSource;
import io.lac4j.pipeline.PurifyRequest;
import io.lac4j.ptq.LacAct;
import io.lac4j.ptq.Pattern;
import io.lac4j.ptq.PdaConfig;
import io.lac4j.ptq.ReconstructionConfig;
import io.lac4j.quant.Granularity;
import io.lac4j.quant.Observer;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QScheme;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantRange;
import io.lac4j.quant.QuantizerKind;
import io.lac4j.quant.Rounding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Maps a resolved purify configuration onto the pipeline's request record (LAC.md §2.1). */
public final class PurifySettings {
    private static final String QC = "extra_prepare_dict.extra_qconfig_dict.";
    private static final String RC = "quantize.reconstruction.";

    private PurifySettings() {}

    /**
     * What {@code method=lac-act} sets ({@link LacAct}), as config keys. Replaces the defaults and
     * the config file's values (the reference YAML spells out the faithful ones); command-line
     * overrides keep the user's value. The other activation knobs ({@code learn_act_scale}, {@code
     * pattern=block|layer_in}, {@code act_recalibrate}, {@code prob}, {@code
     * quantize.a_observer_by_module}) stay available as keys.
     */
    public static final Map<String, Object> LAC_ACT = Map.of(QC + "a_observer", LacAct.ACTIVATION_OBSERVER.configName(),
            RC + "bn_lr", LacAct.BN_LR);

    public static PurifyRequest toRequest(ConfigLoader.Resolved r, Path outputDir, boolean resume) {
        ConfigTree t = r.tree();
        String method = t.string("method", "lac");
        if (!method.equals("lac") && !method.equals("lac-act")) {
            throw t.bad("method", "lac (the faithful method) or lac-act (also corrects activation quantization)", method);
        }
        if (method.equals("lac-act")) {
            for (Map.Entry<String, Object> e : LAC_ACT.entrySet()) {
                if (!t.origin(e.getKey()).equals(Overrides.SOURCE)) {
                    t.set(e.getKey(), e.getValue(), "method=lac-act");
                }
            }
        }
        QuantConfig quant = new QuantConfig(scheme(t, QC + "w_qscheme"), scheme(t, QC + "a_qscheme"),
                Observer.Kind.fromConfigName(t.string(QC + "w_observer", "MSEObserver"), t.origin(QC + "w_observer") + ": " + QC + "w_observer"),
                Observer.Kind.fromConfigName(t.string(QC + "a_observer", "EMAMSEObserver"), t.origin(QC + "a_observer") + ": " + QC + "a_observer"),
                QuantizerKind.fromConfigName(t.string(QC + "w_fakequantize", "AdaRoundFakeQuantize"), t.origin(QC + "w_fakequantize") + ": " + QC + "w_fakequantize"),
                QuantizerKind.fromConfigName(t.string(QC + "a_fakequantize", "FixedFakeQuantize"), t.origin(QC + "a_fakequantize") + ": " + QC + "a_fakequantize"));
        String type = t.string("quantize.quantize_type", "advanced_ptq");
        if (!type.equals("advanced_ptq") && !type.equals("naive_ptq")) {
            throw t.bad("quantize.quantize_type", "advanced_ptq or naive_ptq", type);
        }
        String backend = t.string("quantize.backend", "Academic");
        if (!backend.equalsIgnoreCase("academic")) {
            throw t.bad("quantize.backend", "Academic (the only backend the reference's LAC path uses)", backend);
        }
        int batches = t.integer("quantize.cali_batchsize", 32);
        if (batches <= 0) {
            throw t.bad("quantize.cali_batchsize", "a number of batches > 0", batches);
        }
        ReconstructionConfig rc = reconstruction(t);
        boolean pdaOn = t.bool("pda", false);
        PdaConfig pda;
        try {
            pda = new PdaConfig(pdaOn, t.integer(RC + "pda_count", 500), t.number(RC + "pda_alpha", 1e-3),
                    t.number(RC + "pda_eps", 1e-3), t.bool(RC + "pda_variance_biased", false), t.bool(RC + "pda_early_exit", true),
                    t.bool(RC + "pda_exact", true));
        } catch (IllegalArgumentException e) {
            throw new InputException("config: " + e.getMessage());
        }
        Object target = t.get("data.target");
        int targetClass = target == null ? 0 : t.integer("data.target", 0);
        String dataName = t.string("data.name", "fmnist");
        String dataPath = t.string("data.path", null);
        ModelSource model = new ModelSource(Path.of(t.string("model.path", "")), t.string("model.type", "auto"), false, "model.path=");
        DataSource data = new DataSource(dataName, dataPath == null ? null : Path.of(dataPath), t.string("data.trigger", null),
                targetClass, t.integer("data.limit", 0));
        long seed = t.integer("process.seed", 1005);
        t.get("task_name");
        t.get("output_dir");
        t.get("template");
        return new PurifyRequest(model, data, quant, PrepareOptions.ACADEMIC.withActivationObservers(observerOverrides(t)),
                CalibrationConfig.LAC.withBatches(batches, batches), type.equals("advanced_ptq"), rc, pda, method, seed,
                outputDir, resume, t.asMap(), t.integer("report.drift_images", 256),
                t.bool("scan", false) ? io.lac4j.scan.ScanConfig.DEFAULT : null);
    }

    /** {@code quantize.a_observer_by_module}: {module or dotted prefix: MQBench observer name}. */
    private static Map<String, Observer.Kind> observerOverrides(ConfigTree t) {
        String key = "quantize.a_observer_by_module";
        Object raw = t.get(key);
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw t.bad(key, "a map {module: observer}, e.g. {layer4: MinMaxObserver}", raw);
        }
        Map<String, Observer.Kind> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), Observer.Kind.fromConfigName(String.valueOf(e.getValue()),
                    t.origin(key) + ": " + key + "." + e.getKey()));
        }
        return out;
    }

    private static QScheme scheme(ConfigTree t, String prefix) {
        int bits = t.integer(prefix + ".bit", 4);
        boolean sym = t.bool(prefix + ".symmetry", false);
        boolean perChannel = t.bool(prefix + ".per_channel", false);
        boolean pot = t.bool(prefix + ".pot_scale", false);
        if (pot) {
            throw t.bad(prefix + ".pot_scale", "False (power-of-two scales are not used by the Academic backend)", true);
        }
        try {
            return new QScheme(bits, sym, perChannel ? Granularity.PER_CHANNEL : Granularity.PER_TENSOR, perChannel ? 0 : -1,
                    false, QuantRange.FULL, Rounding.HALF_EVEN);
        } catch (IllegalArgumentException e) {
            throw new InputException(t.origin(prefix + ".bit") + ": key '" + prefix + "': " + e.getMessage());
        }
    }

    private static ReconstructionConfig reconstruction(ConfigTree t) {
        List<Double> bRange = new ArrayList<>();
        List<Object> raw = t.list(RC + "b_range");
        if (raw != null) {
            for (Object o : raw) {
                bRange.add(((Number) o).doubleValue());
            }
        }
        String roundMode = t.string(RC + "round_mode", "learned_hard_sigmoid");
        if (!roundMode.equals("learned_hard_sigmoid")) {
            throw t.bad(RC + "round_mode", "learned_hard_sigmoid (the only mode of the LAC reference)", roundMode);
        }
        t.get(RC + "keep_gpu");
        try {
            return new ReconstructionConfig(Pattern.fromConfig(t.string(RC + "pattern", "layer"), RC + "pattern"),
                    t.integer(RC + "max_count", 10_000), t.number(RC + "scale_lr", 4e-5), t.number(RC + "warm_up", 0.2),
                    t.number(RC + "weight", 0.01), bRange, roundMode, t.number(RC + "prob", 1.0), t.number(RC + "weight_lr", 1e-3),
                    t.bool(RC + "learn_act_scale", false), t.bool(RC + "act_recalibrate", false),
                    t.number(RC + "bn_lr", 0.0), weightSchedule(t));
        } catch (IllegalArgumentException e) {
            throw new InputException(t.origin(RC + "max_count") + ": " + e.getMessage());
        }
    }

    private static boolean weightSchedule(ConfigTree t) {
        String v = t.string(RC + "weight_lr_schedule", "constant");
        return switch (v) {
            case "constant" -> false;
            case "cosine" -> true;
            default -> throw t.bad(RC + "weight_lr_schedule", "constant (the reference) or cosine", v);
        };
    }

    /** Settings the user changed from the reference defaults (for results.json and reports). */
    public static Map<String, Object> nonDefault(ConfigLoader.Resolved r) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (String leaf : r.tree().leaves()) {
            String origin = r.tree().origin(leaf);
            if (!origin.equals("defaults")) {
                out.put(leaf, r.tree().get(leaf));
            }
        }
        return out;
    }
}
