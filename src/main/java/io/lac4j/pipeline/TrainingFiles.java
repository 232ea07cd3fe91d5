package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.lac4j.Lac4jException;
import io.lac4j.io.AtomicFile;
import io.lac4j.io.Checkpoints;
import io.lac4j.io.Json;
import io.lac4j.io.PthWriter;
import io.lac4j.io.StateDict;
import io.lac4j.io.TensorData;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.nn.Graph;
import io.lac4j.training.EpochRecord;
import io.lac4j.training.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The files of one training run, all next to {@code out}: the selected weights {@code out}, the
 * resume state {@code <base>.resume.pth} (weights + {@code optimizer.*} buffers) and {@code
 * <base>.resume.json}, and the training log {@code <base>.log.csv} / {@code <base>.log.json}. Every
 * file is written atomically.
 */
final class TrainingFiles implements Trainer.Sink {
    private static final String OPT = "optimizer.";
    private final Graph graph;
    private final Path out;
    private final String base;
    private final boolean resume;
    private final String archDescription;
    private final List<EpochRecord> records = new ArrayList<>();
    private Map<String, float[]> optimizer = Map.of();
    private int selectedEpoch = -1;

    TrainingFiles(Graph graph, Path out, boolean resume, String archDescription) {
        this.graph = graph;
        this.out = out;
        String s = out.toString();
        this.base = s.endsWith(".pth") ? s.substring(0, s.length() - 4) : s;
        this.resume = resume;
        this.archDescription = archDescription;
    }

    Path resumeWeights() {
        return Path.of(base + ".resume.pth");
    }

    Path resumeState() {
        return Path.of(base + ".resume.json");
    }

    Path logCsv() {
        return Path.of(base + ".log.csv");
    }

    Path logJson() {
        return Path.of(base + ".log.json");
    }

    Path manifest() {
        return Path.of(base + ".json");
    }

    int selectedEpoch() {
        return selectedEpoch;
    }

    @Override
    public void saveSelected(int epoch) {
        selectedEpoch = epoch + 1;
        PthWriter.write(out, CheckpointLoader.toStateDict(graph));
    }

    @Override
    public void saveResume(Trainer.ResumeState state, Map<String, NDArray> optimizerState) {
        Map<String, TensorData> all = new LinkedHashMap<>(CheckpointLoader.toStateDict(graph).asMap());
        optimizerState.forEach((k, v) -> all.put(OPT + k, TensorData.ofFloats(v.toFloatArray(), v.getShape().getShape())));
        PthWriter.write(resumeWeights(), StateDict.of(all));
        write(resumeState(), state);
    }

    @Override
    public Trainer.ResumeState resume(Graph g, NDManager manager) {
        if (!resume || !Files.isRegularFile(resumeState()) || !Files.isRegularFile(resumeWeights())) {
            return null;
        }
        Trainer.ResumeState st;
        try {
            st = Json.mapper().readValue(resumeState().toFile(), Trainer.ResumeState.class);
        } catch (IOException e) {
            throw new io.lac4j.InputException(resumeState() + ": resume state: expected the JSON lac4j wrote, got "
                    + e.getMessage());
        }
        StateDict sd = Checkpoints.read(resumeWeights()).stateDict();
        Map<String, TensorData> model = new LinkedHashMap<>();
        Map<String, float[]> opt = new LinkedHashMap<>();
        for (var e : sd.entries()) {
            if (e.getKey().startsWith(OPT)) {
                opt.put(e.getKey().substring(OPT.length()), e.getValue().toFloatArray());
            } else {
                model.put(e.getKey(), e.getValue());
            }
        }
        CheckpointLoader.load(g, StateDict.of(model), true, resumeWeights().toString(), archDescription);
        optimizer = opt;
        records.addAll(st.records());
        selectedEpoch = st.bestEpoch() + 1;
        return st;
    }

    @Override
    public Map<String, float[]> resumeOptimizer() {
        return optimizer;
    }

    @Override
    public void onEpoch(EpochRecord record) {
        records.add(record);
        write(logJson(), records);
        TreeSet<String> termNames = new TreeSet<>();
        records.forEach(r -> termNames.addAll(r.terms().keySet()));
        StringBuilder sb = new StringBuilder("epoch,lr,loss,train_acc,cda,asr_no_target,seconds,selected");
        termNames.forEach(t -> sb.append(',').append(t));
        sb.append('\n');
        for (EpochRecord r : records) {
            sb.append(r.epoch()).append(',').append(num(r.lr())).append(',').append(num(r.loss())).append(',')
                    .append(num(r.trainAcc())).append(',').append(r.cda() == null ? "" : num(r.cda())).append(',')
                    .append(r.asrNoTarget() == null ? "" : num(r.asrNoTarget())).append(',').append(num(r.seconds()))
                    .append(',').append(r.selected());
            termNames.forEach(t -> {
                Double v = r.terms().get(t);
                sb.append(',').append(v == null ? "" : num(v));
            });
            sb.append('\n');
        }
        try {
            AtomicFile.writeString(logCsv(), sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(logCsv().toString(), e);
        }
    }

    List<EpochRecord> records() {
        return List.copyOf(records);
    }

    static void write(Path p, Object value) {
        try {
            AtomicFile.writeString(p, Json.mapper().writeValueAsString(value) + "\n");
        } catch (JsonProcessingException e) {
            throw new Lac4jException(p + ": cannot serialise: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(p.toString(), e);
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
