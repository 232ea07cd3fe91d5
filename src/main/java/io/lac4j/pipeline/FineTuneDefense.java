package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.data.CalibrationData;
import io.lac4j.data.CalibrationList;
import io.lac4j.data.DataView;
import io.lac4j.data.ImageDataset;
import io.lac4j.data.Preprocessing;
import io.lac4j.defense.ChannelPruning;
import io.lac4j.defense.FineTuning;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.engine.Seeds;
import io.lac4j.eval.BackdoorEvaluator;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantizedModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FT and Fine-Pruning on the deployment path (the protocol's {@link io.lac4j.quant.Deployment}):
 * FP and naive-PTQ metrics of the given model, then the FP model is (pruned and) fine-tuned on the
 * clean calibration images — the reconstruction list's images with their labels, the data every PTQ
 * defense gets — and quantized naively again with the same activation calibration list.
 */
final class FineTuneDefense {
    private FineTuneDefense() {}

    static DefendResult run(DefendRequest req, BaselineMemo memo, Progress progress, long t0) {
        DefenseProtocol p = req.protocol();
        Engines.start();
        Engines.seed(p.seed());
        try (NDManager run = Engines.newBaseManager(); LoadedModel m = Pipeline.loadModel(p.model(), run)) {
            LoadedData d = Pipeline.loadData(p.data());
            Map<String, Double> timings = new LinkedHashMap<>();
            BaselineMemo.Measured fpRun = memo.fp(() -> BackdoorEvaluator.evaluate(m.graph()::forward, d.sets(), run, progress, "fp"));
            PhaseMetrics fp = fpRun.metrics();
            timings.put("fp_eval", fp.seconds());
            CalibrationConfig cc = CalibrationConfig.LAC.withBatches(p.calibrationBatches(), p.calibrationBatches());
            CalibrationData cal = PtqStages.drawCalibration(d, cc, p.seed());
            QuantConfig qc = Defenses.quant(Defense.NAIVE, p);
            PrepareOptions po = p.deployment().prepare();
            BaselineMemo.Measured naiveRun = memo.naive(qc, po, cc, p.seed(), () -> {
                try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), qc, po,
                        cal.activation(), run, progress)) {
                    return BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, "naive_ptq");
                }
            });
            PhaseMetrics naive = naiveRun.metrics();
            timings.put("naive_ptq_eval", naive.seconds());
            BaselineMemo.noteReuse(timings, fpRun, naiveRun);
            long t1 = System.nanoTime();
            Map<String, Object> settings = Defenses.settings(req);
            ChannelPruning.Pruned pruned = null;
            if (req.defense() == Defense.FINE_PRUNING) {
                try (NDManager scope = run.newSubManager()) {
                    pruned = ChannelPruning.prune(m.graph(), PtqStages.batches(cal.reconstruction(), scope), req.pruneRatio(), scope);
                }
                settings.put("pruned", Map.of("conv", pruned.conv(), "channels", pruned.channels(),
                        "removed", pruned.indices().length));
            }
            FineTuning.run(m.graph(), cleanView(d, cal.reconstruction()), p.epochs(), Seeds.forStage(p.seed(), "fine-tune"),
                    pruned, run, progress);
            m.graph().setTraining(false);
            timings.put("fine_tune", (System.nanoTime() - t1) / 1e9);
            PhaseMetrics defended;
            Path model = null;
            try (QuantizedModel qm = PtqStages.prepareAndCalibrate(m.graph(), qc, po,
                    cal.activation(), run, progress)) {
                defended = BackdoorEvaluator.evaluate(qm::forward, d.sets(), run, progress, req.defense().phase());
                if (req.outputDir() != null) {
                    model = QuantizedExport.write(qm, req.outputDir().resolve(req.defense().phase() + ".pth"));
                }
            }
            timings.put(req.defense().phase() + "_eval", defended.seconds());
            Map<String, ResultDocument.Phase> phases = new LinkedHashMap<>();
            phases.put("fp", Results.phase(fp));
            phases.put("naive_ptq", Results.phase(naive));
            phases.put(req.defense().phase(), Results.phase(defended));
            Double der = Defenses.der(naive, defended);
            ResultDocument doc = new ResultDocument(ResultDocument.SCHEMA, "defend", Results.model(m), Results.data(d, fp),
                    PtqStages.describe(null, qc, po, cc), req.defense().configName(), phases, der,
                    timings, settings, RunProvenance.current(java.time.Instant.now().minusNanos(System.nanoTime() - t0), p.seed(), req));
            return new DefendResult(req.defense(), doc, fp, naive, defended, der,
                    (System.nanoTime() - t0) / 1e9 + BaselineMemo.reusedSeconds(doc), List.of(), model);
        }
    }

    /** The reconstruction list's images, by source index, with their labels and its augmentation. */
    private static DataView cleanView(LoadedData d, CalibrationList list) {
        ImageDataset train = d.splits().train();
        int[] idx = list.sourceIndices();
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            labels[i] = train.label(idx[i]);
        }
        return DataView.of(train.name() + "/calibration", train, idx, labels,
                Preprocessing.train(d.splits().normalization(), train.height() / 8));
    }
}
