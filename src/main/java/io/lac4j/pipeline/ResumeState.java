package io.lac4j.pipeline;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import io.lac4j.io.AtomicFile;
import io.lac4j.io.Json;
import io.lac4j.io.SafetensorsReader;
import io.lac4j.io.SafetensorsWriter;
import io.lac4j.io.StateDict;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.ptq.UnitReport;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantizedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state a reconstructing run leaves in its folder after every finished unit, and reads back on
 * {@code --resume}: {@code units/NN_<unit>.csv} (loss curves), {@code state/quantized.safetensors}
 * (hardened weights), {@code state/activation_qparams.json} (learned activation ranges, lac-act) and
 * {@code state/progress.json} (units done and the run's settings, which a resume must repeat).
 */
final class ResumeState {
    static final String STATE = "state";
    static final String ACT_QPARAMS = "activation_qparams.json";
    private static final String PROGRESS = "progress.json";

    private final Path dir;
    private final Map<String, Object> settings;

    /** @param settings the run's resolved settings: saved with every unit, compared on resume */
    ResumeState(Path dir, Map<String, Object> settings) {
        this.dir = dir;
        this.settings = settings;
    }

    /** After a finished unit: its loss curve, then the quantized weights and the count (each atomically). */
    void saveUnit(int index, UnitReport report, QuantizedModel qm) {
        try {
            Files.createDirectories(dir.resolve("units"));
            StringBuilder csv = new StringBuilder("iteration,loss\n");
            float[] l = report.losses();
            for (int i = 0; i < l.length; i++) {
                csv.append(i).append(',').append(l[i]).append('\n');
            }
            AtomicFile.writeString(dir.resolve("units").resolve(String.format("%02d_%s.csv", index, report.name())),
                    csv.toString());
            Path state = dir.resolve(STATE);
            Files.createDirectories(state);
            SafetensorsWriter.write(state.resolve("quantized.safetensors"), CheckpointLoader.toStateDict(qm.graph()));
            AtomicFile.writeString(state.resolve(ACT_QPARAMS), Json.mapper().writeValueAsString(activationQParams(qm)));
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("units_done", index + 1);
            progress.put("settings", settings);
            progress.put("unit", Map.of("name", report.name(), "cache_s", report.cacheSeconds(), "pda_s",
                    report.pdaSeconds(), "optimize_s", report.optimizeSeconds(), "pda", report.pdaApplied()));
            AtomicFile.writeString(state.resolve(PROGRESS), Json.mapper().writeValueAsString(progress));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot save unit state", e);
        }
    }

    /**
     * Loads the hardened weights (and learned activation ranges) of an interrupted run into {@code qm};
     * returns the finished units' curves, one per unit done.
     */
    List<UnitReport> restore(QuantizedModel qm) {
        Path progressFile = dir.resolve(STATE).resolve(PROGRESS);
        if (!Files.isRegularFile(progressFile)) {
            throw new InputException(progressFile + ": no saved purify state to resume from; run without --resume first");
        }
        try {
            Map<?, ?> progress = Json.mapper().readValue(progressFile.toFile(), Map.class);
            Object now = Json.mapper().readValue(Json.mapper().writeValueAsString(settings), Map.class);
            if (!now.equals(progress.get("settings"))) {
                throw new InputException(progressFile
                        + ": settings differ from the interrupted run; resume with the same configuration and overrides");
            }
            StateDict sd = SafetensorsReader.read(dir.resolve(STATE).resolve("quantized.safetensors")).stateDict();
            CheckpointLoader.load(qm.graph(), sd, true, dir.resolve(STATE).toString(), "the quantized model");
            Path act = dir.resolve(STATE).resolve(ACT_QPARAMS);
            if (Files.isRegularFile(act)) {
                restoreActivationQParams(qm, Json.mapper().readValue(act.toFile(), Map.class), act);
            }
            int units = ((Number) progress.get("units_done")).intValue();
            List<UnitReport> done = new ArrayList<>();
            try (var files = Files.list(dir.resolve("units"))) {
                for (Path csv : files.sorted().toList()) {
                    if (done.size() < units) {
                        done.add(readCurve(csv));
                    }
                }
            }
            return done;
        } catch (IOException e) {
            throw new Lac4jException(dir + ": cannot read purify state: " + e.getMessage(), e);
        }
    }

    /** Activation (s, z) by quantizer node: learned ones (lac-act) belong to a finished unit's state like its weights. */
    private static Map<String, Object> activationQParams(QuantizedModel qm) {
        Map<String, Object> out = new LinkedHashMap<>();
        qm.activationQuantizers().forEach((name, q) -> {
            if (q.qparams().channels() == 1) {
                out.put(name, Map.of("scale", q.qparams().scale(0), "zero_point", q.qparams().zeroPoint(0)));
            }
        });
        return out;
    }

    private static void restoreActivationQParams(QuantizedModel qm, Map<?, ?> saved, Path file) {
        for (Map.Entry<?, ?> e : saved.entrySet()) {
            FakeQuantizer q = qm.activationQuantizers().get(String.valueOf(e.getKey()));
            if (q == null || !(e.getValue() instanceof Map<?, ?> v)) {
                throw new InputException(file + ": unknown activation quantizer '" + e.getKey() + "'");
            }
            q.setQParams(QParams.perTensor(((Number) v.get("scale")).floatValue(), ((Number) v.get("zero_point")).intValue()));
        }
    }

    private static UnitReport readCurve(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        float[] losses = new float[lines.size() - 1];
        for (int i = 1; i < lines.size(); i++) {
            losses[i - 1] = Float.parseFloat(lines.get(i).split(",")[1]);
        }
        String name = csv.getFileName().toString().replaceFirst("^\\d+_", "").replaceFirst("\\.csv$", "");
        return new UnitReport(name, losses, 0, 0, 0, false);
    }
}
