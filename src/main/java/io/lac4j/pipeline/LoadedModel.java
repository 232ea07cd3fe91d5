package io.lac4j.pipeline;

import io.lac4j.models.LoadReport;
import io.lac4j.models.ModelSpec;
import io.lac4j.nn.Graph;

/** An FP model ready to run: its graph (owning its tensors), what was built and how it loaded. */
public final class LoadedModel implements AutoCloseable {
    private final Graph graph;
    private final ModelSpec spec;
    private final String inference;
    private final LoadReport report;
    private final String sha256;
    private final String path;

    LoadedModel(Graph graph, ModelSpec spec, String inference, LoadReport report, String sha256, String path) {
        this.graph = graph;
        this.spec = spec;
        this.inference = inference;
        this.report = report;
        this.sha256 = sha256;
        this.path = path;
    }

    public Graph graph() {
        return graph;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** How {@code --arch auto} decided, or null when the architecture was given. */
    public String inference() {
        return inference;
    }

    /** What was built and how it loaded, without the graph (outlives the run). */
    public record Facts(ModelSpec spec, String inference, LoadReport report) {}

    public Facts facts() {
        return new Facts(spec, inference, report);
    }

    public LoadReport report() {
        return report;
    }

    public String sha256() {
        return sha256;
    }

    public String path() {
        return path;
    }

    @Override
    public void close() {
        graph.close();
    }
}
