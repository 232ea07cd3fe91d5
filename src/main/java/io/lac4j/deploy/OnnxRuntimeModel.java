package io.lac4j.deploy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * An ONNX classifier run by ONNX Runtime (CPU), the reference runtime lac4j checks exports in: a
 * batch {@code [N, C, H, W]} in, logits {@code [N, classes]} out, as NDArrays in the input's manager
 * so the same evaluators run it as any lac4j model. Single-threaded intra-op by default for
 * repeatable sums; {@code threads > 0} sets it.
 */
public final class OnnxRuntimeModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final Path file;

    private OnnxRuntimeModel(OrtEnvironment env, OrtSession session, String input, Path file) {
        this.env = env;
        this.session = session;
        this.input = input;
        this.file = file;
    }

    public static OnnxRuntimeModel open(Path file, int threads) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": ONNX model not found");
        }
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(Math.max(1, threads));
            OrtSession s = env.createSession(file.toString(), o);
            if (s.getNumInputs() != 1) {
                s.close();
                throw new InputException(file + ": expected a classifier with one input, got " + s.getNumInputs());
            }
            return new OnnxRuntimeModel(env, s, s.getInputNames().iterator().next(), file);
        } catch (OrtException e) {
            throw new InputException(file + ": ONNX Runtime refused the model: " + e.getMessage());
        }
    }

    /** The ONNX Runtime release that runs the model. */
    public String runtimeVersion() {
        return "ONNX Runtime " + env.getVersion();
    }

    /**
     * What ONNX Runtime actually runs on this CPU: operator types and counts of the graph after its
     * optimizations (at its default level, as {@link #open} uses) — e.g. whether Q/DQ pairs around a
     * convolution became integer {@code QLinearConv} kernels or stayed float {@code Conv} between
     * quantize/dequantize steps.
     */
    public static Map<String, Integer> optimizedOperators(Path file) {
        Path saved = null;
        try {
            saved = Files.createTempFile("lac4j-ort-optimized", ".onnx");
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(1);
                o.setOptimizedModelFilePath(saved.toString());
                // ORT warns that a saved optimized graph is CPU-specific; it is only read here, on this CPU
                o.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                env.createSession(file.toString(), o).close();
            }
            Map<String, Integer> ops = new TreeMap<>();
            for (OnnxMl.NodeProto n : OnnxMl.ModelProto.parseFrom(Files.readAllBytes(saved)).getGraph().getNodeList()) {
                ops.merge((n.getDomain().isEmpty() ? "" : n.getDomain() + ":") + n.getOpType(), 1, Integer::sum);
            }
            return ops;
        } catch (OrtException | java.io.IOException e) {
            throw new Lac4jException(file + ": cannot read ONNX Runtime's optimized graph: " + e.getMessage(), e);
        } finally {
            if (saved != null) {
                try {
                    Files.deleteIfExists(saved);
                } catch (java.io.IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** Model metadata ({@code metadata_props}). */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new Lac4jException(file + ": cannot read metadata: " + e.getMessage(), e);
        }
    }

    /** Logits of a batch, in {@code x}'s manager. */
    public NDArray forward(NDArray x) {
        long[] shape = x.getShape().getShape();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), shape);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] os = out.getInfo().getShape();
            FloatBuffer fb = out.getFloatBuffer();
            float[] v = new float[fb.remaining()];
            fb.get(v);
            return x.getManager().create(v, new Shape(os));
        } catch (OrtException e) {
            throw new Lac4jException(file + ": ONNX Runtime failed on a batch of shape " + x.getShape() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new Lac4jException(file + ": cannot close the session: " + e.getMessage(), e);
        }
    }
}
