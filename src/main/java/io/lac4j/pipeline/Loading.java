package io.lac4j.pipeline;

import ai.djl.ndarray.NDManager;
import io.lac4j.InputException;
import io.lac4j.data.DatasetSplits;
import io.lac4j.data.Datasets;
import io.lac4j.data.Trigger;
import io.lac4j.eval.EvalSets;
import io.lac4j.io.Checkpoints;
import io.lac4j.io.LoadedCheckpoint;
import io.lac4j.io.StateDict;
import io.lac4j.models.Arch;
import io.lac4j.models.ArchInference;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.models.LoadReport;
import io.lac4j.models.ModelSpec;
import io.lac4j.models.ModelZoo;
import io.lac4j.nn.Graph;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/** The first step of every run: the checkpoint as an FP model, the data set as evaluation views. */
final class Loading {
    private Loading() {}

    /** Reads a checkpoint, builds (or infers) its architecture and loads it, non-strict by default. */
    static LoadedModel model(ModelSource src, NDManager parent) {
        if (!Files.isRegularFile(src.checkpoint())) {
            throw new InputException(src.checkpoint() + ": checkpoint not found; pass "
                    + (src.flag().endsWith("=") ? src.flag() + "PATH" : src.flag() + " PATH"));
        }
        LoadedCheckpoint ck = Checkpoints.read(src.checkpoint());
        StateDict sd = ck.stateDict();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        sd.entries().forEach(e -> shapes.put(e.getKey(), e.getValue().shape()));
        Arch requested = Arch.fromName(src.arch(), "--arch");
        ArchInference.Inferred inferred;
        try {
            inferred = requested == Arch.AUTO ? ArchInference.infer(shapes) : ArchInference.named(requested, shapes);
        } catch (InputException e) {
            throw new InputException(src.checkpoint() + ": " + e.getMessage(), e);
        }
        ModelSpec spec = inferred.spec();
        String inference = inferred.explanation();
        Graph g = ModelZoo.build(spec, parent);
        try {
            LoadReport report = CheckpointLoader.load(g, sd, src.strict(), src.checkpoint().toString(), spec.describe());
            g.setTraining(false);
            return new LoadedModel(g, spec, inference, report, ck.sha256(), src.checkpoint().toString());
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** Opens the data set and builds the clean / triggered / no-target views. */
    static LoadedData data(DataSource src) {
        DatasetSplits splits = Datasets.open(src.data(), src.root());
        Trigger trigger = src.trigger() == null ? null : Trigger.byName(src.trigger());
        EvalSets sets = EvalSets.of(splits.test(), splits.normalization(), trigger, src.target()).limit(src.limit());
        return new LoadedData(splits, trigger, trigger == null ? null : trigger.name(), src.target(), sets,
                src.root() == null || java.nio.file.Files.isDirectory(java.nio.file.Path.of(src.data())) ? src.data()
                        : src.root().toString());
    }
}
