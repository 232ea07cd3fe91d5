package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.io.DType;
import io.lac4j.io.PthWriter;
import io.lac4j.io.SafetensorsWriter;
import io.lac4j.io.StateDict;
import io.lac4j.io.TensorData;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.nn.Graph;
import io.lac4j.quant.FakeQuantKernel;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantizedModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a quantized model: a PyTorch-loadable .pth whose conv/linear weights are the
 * fake-quantized (on-grid) values, and a .safetensors with, per layer, the integer weights
 * ({@code <layer>.weight_int}), scales and zero points, plus every activation quantizer's
 * (scale, zero point).
 */
public final class QuantizedExport {
    /** The integer file's {@code format} metadata. */
    static final String FORMAT = "lac4j-quantized/1";
    static final String INTEGER_SUFFIX = ".int.safetensors";

    private QuantizedExport() {}

    /** The integer-weights file that belongs to {@code pth}. */
    static Path integerFile(Path pth) {
        return pth.resolveSibling(pth.getFileName().toString().replaceFirst("\\.pth$", "") + INTEGER_SUFFIX);
    }

    public static Path write(QuantizedModel qm, Path pth) {
        try {
            Path dir = pth.toAbsolutePath().getParent();
            if (dir != null) {
                java.nio.file.Files.createDirectories(dir);
            }
        } catch (java.io.IOException e) {
            throw new io.lac4j.InputException(pth + ": cannot create its folder: " + e.getMessage());
        }
        Graph g = qm.graph();
        Map<String, TensorData> ints = new LinkedHashMap<>();
        StateDict sd = CheckpointLoader.toStateDict(g);
        try (NDManager scope = g.manager().newSubManager()) {
            for (Map.Entry<String, FakeQuantizer> e : qm.weightQuantizers().entrySet()) {
                String layer = e.getKey();
                FakeQuantizer q = e.getValue();
                NDArray w = g.node(layer).weighted().weight();
                scope.tempAttachAll(w);
                NDArray hard = q.hardValue(w);
                long[] shape = w.getShape().getShape();
                sd = sd.with(layer + ".weight", TensorData.ofFloats(hard.toFloatArray(), shape));
                QParams qp = q.qparams();
                NDArray levels = FakeQuantKernel.levels(w, qp, q.scheme().qmin(), q.scheme().qmax(), q.scheme().rounding());
                ints.put(layer + ".weight_int", int32(levels.toFloatArray(), shape));
                putQParams(ints, layer + ".weight", qp);
            }
        }
        for (Map.Entry<String, FakeQuantizer> e : qm.activationQuantizers().entrySet()) {
            putQParams(ints, e.getKey(), e.getValue().qparams());
        }
        PthWriter.write(pth, sd);
        Path st = integerFile(pth);
        SafetensorsWriter.write(st, StateDict.of(ints), Map.of("format", FORMAT,
                "weight_scheme", qm.config().weight().toString(), "activation_scheme", qm.config().activation().toString()));
        return st;
    }

    private static void putQParams(Map<String, TensorData> out, String prefix, QParams qp) {
        out.put(prefix + "_scale", TensorData.ofFloats(qp.scale().clone(), qp.scale().length));
        float[] z = new float[qp.zeroPoint().length];
        for (int i = 0; i < z.length; i++) {
            z[i] = qp.zeroPoint()[i];
        }
        out.put(prefix + "_zero_point", int32(z, z.length));
    }

    private static TensorData int32(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putInt(Math.round(v));
        }
        return TensorData.of(DType.INT32, shape, b.array());
    }
}
