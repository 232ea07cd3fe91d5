package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.InputException;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code lac4j scan} as a configuration of {@link DefendedRun}: no baseline evaluation (the scan uses
 * neither the test set nor a trigger), the deployment calibrated as naive PTQ would, then the scan.
 * With a run folder ({@code scan --run}) the run's defended model is read back instead of calibrated.
 */
final class Scanning {
    private Scanning() {}

    static ResultDocument run(ScanRequest req, Progress progress) {
        if (req.run() != null) {
            return runFolder(req, progress);
        }
        DefenseProtocol p = req.protocol();
        CalibrationConfig cc = calibration(p);
        Map<String, Object> settings = settings(p);
        DefendedRun.Plan plan = new DefendedRun.Plan(p.model(), p.data(), p.quantizer(), p.deployment().prepare(), cc, List.of(),
                DefenseOptions.reference(0, p.seed()), false, false, 0, req.outputDir(), false, settings, null, null,
                req.config());
        DefendedRun.Outcome o = DefendedRun.run(plan, BaselineMemo.NONE, progress);
        Map<String, Object> quant = new LinkedHashMap<>(PtqStages.describe(null, plan.naiveQuantizer(), plan.prepare(), cc));
        return Results.document("scan", o, quant, null, settings, settings);
    }

    /**
     * Scans the defended model of a purify or defend run: the protocol's model is the FP model the run
     * started from (checked against the run's recorded sha256), the run's {@code .pth} +
     * {@code .int.safetensors} the quantized model, calibration images drawn as for any scan.
     */
    private static ResultDocument runFolder(ScanRequest req, Progress progress) {
        Instant started = Instant.now();
        DefenseProtocol p = req.protocol();
        Path pth = defendedModel(req.run());
        ResultDocument ran = runResults(req.run());
        String phase = scannedPhase(ran);
        CalibrationConfig cc = calibration(p);
        Map<String, Object> settings = settings(p);
        settings.put("run", req.run().toString());
        settings.put("scanned_model", pth.getFileName().toString());
        Engines.start();
        Engines.seed(p.seed());
        try (NDManager run = Engines.newBaseManager(); LoadedModel m = Pipeline.loadModel(p.model(), run)) {
            if (ran.model() != null && ran.model().sha256() != null && !ran.model().sha256().equals(m.sha256())) {
                throw new InputException("--checkpoint " + p.model().checkpoint() + " (sha256 " + m.sha256() + ") is not the model "
                        + req.run() + " defended (" + ran.model().checkpoint() + ", sha256 " + ran.model().sha256()
                        + "); the scan needs the run's FP model as the reference");
            }
            LoadedData d = Pipeline.loadData(p.data());
            if (ran.data() != null && ran.data().name() != null && !ran.data().name().equals(d.splits().name())) {
                throw new InputException("--data " + d.splits().name() + ": " + req.run() + " ran on " + ran.data().name());
            }
            CalibrationData cal = PtqStages.drawCalibration(d, cc, p.seed());
            ScanFindings scan = new ScanFindings(req.config(), d.splits().normalization());
            try (QuantizedModel qm = QuantizedModel.prepare(m.graph(), p.quantizer(), p.deployment().prepare(), run)) {
                QuantizedImport.load(qm, pth);
                scan.scan(phase, m.graph(), qm, cal.activation(), m.spec().numClasses(), p.seed(), run, progress, req.outputDir(),
                        Supplier::get);
            }
            Map<String, Double> timings = new LinkedHashMap<>();
            timings.put("scan", scan.seconds());
            DefendedRun.Outcome o = new DefendedRun.Outcome(started, p.seed(), Results.model(m), m.facts(), d, null, null, 0,
                    List.of(), timings, List.of(), new LinkedHashMap<>(), new LinkedHashMap<>(), scan);
            Map<String, Object> quant = new LinkedHashMap<>(PtqStages.describe(null, p.quantizer(), p.deployment().prepare(), cc));
            return Results.document("scan", o, quant, null, settings, settings);
        }
    }

    private static CalibrationConfig calibration(DefenseProtocol p) {
        return CalibrationConfig.LAC.withBatches(p.calibrationBatches(), p.calibrationBatches());
    }

    private static Map<String, Object> settings(DefenseProtocol p) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("deployment", p.deployment().configName());
        settings.put("bits", p.bits());
        if (p.abits() != 0) {
            settings.put("abits", p.abits());
        }
        settings.put("cali_batchsize", p.calibrationBatches());
        settings.put("seed", p.seed());
        return settings;
    }

    /** The one quantized model a run folder hands over: the {@code .pth} of its {@code .int.safetensors}. */
    static Path defendedModel(Path runDir) {
        Path ints = RunOutputs.single(runDir, QuantizedExport.INTEGER_SUFFIX, "");
        String name = ints.getFileName().toString();
        Path pth = ints.resolveSibling(name.substring(0, name.length() - QuantizedExport.INTEGER_SUFFIX.length()) + ".pth");
        if (!Files.isRegularFile(pth)) {
            throw new InputException(pth + ": not found next to " + name + "; the run's quantized model is both files");
        }
        return pth;
    }

    private static ResultDocument runResults(Path runDir) {
        Path f = runDir.resolve("results.json");
        if (!Files.isRegularFile(f)) {
            throw new InputException(f + ": not found; a purify or defend run folder has its results.json");
        }
        try {
            return Json.mapper().readValue(f.toFile(), ResultDocument.class);
        } catch (IOException | RuntimeException e) {
            throw new InputException(f + ": cannot read: " + e.getMessage());
        }
    }

    /** The run's defended phase (its last one after fp and naive_ptq), else naive_ptq. */
    private static String scannedPhase(ResultDocument ran) {
        String phase = "naive_ptq";
        if (ran.phases() != null) {
            for (String k : ran.phases().keySet()) {
                if (!k.equals("fp")) {
                    phase = k;
                }
            }
        }
        return phase;
    }
}
