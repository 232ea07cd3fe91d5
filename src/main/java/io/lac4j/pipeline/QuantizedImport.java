package io.lac4j.pipeline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lac4j.InputException;
import io.lac4j.io.Checkpoints;
import io.lac4j.io.SafetensorsFile;
import io.lac4j.io.SafetensorsReader;
import io.lac4j.io.TensorData;
import io.lac4j.models.CheckpointLoader;
import io.lac4j.quant.FakeQuantKernel;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QuantizedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Reads back what {@link QuantizedExport} wrote — {@code <name>.pth} (on-grid weights, BN) and
 * {@code <name>.int.safetensors} (integer weights, every scale and zero point) — into a prepared,
 * uncalibrated quantized model of the same architecture and deployment, so a purified model can be
 * computed with again (scanned) exactly as its run evaluated it. Refuses a file of another deployment:
 * the scheme strings must match and every weight must re-quantize to the exported integers exactly.
 */
final class QuantizedImport {
    private QuantizedImport() {}

    /** Loads {@code pth} and its integer file into {@code qm} and switches it to quantized inference. */
    static void load(QuantizedModel qm, Path pth) {
        Path st = QuantizedExport.integerFile(pth);
        if (!Files.isRegularFile(st)) {
            throw new InputException(st + ": not found; a quantized model is a .pth with its .int.safetensors (scales, zero points)");
        }
        SafetensorsFile ints = SafetensorsReader.read(st);
        Map<String, String> meta = ints.metadata();
        if (!QuantizedExport.FORMAT.equals(meta.get("format"))) {
            throw new InputException(st + ": metadata format: expected " + QuantizedExport.FORMAT + ", got " + meta.get("format"));
        }
        expectScheme(st, "weight_scheme", meta, qm.config().weight().toString());
        expectScheme(st, "activation_scheme", meta, qm.config().activation().toString());
        CheckpointLoader.load(qm.graph(), Checkpoints.read(pth).stateDict(), true, pth.toString(), "the quantized model");
        Set<String> unused = new LinkedHashSet<>(ints.stateDict().keys());
        try (NDManager scope = qm.graph().manager().newSubManager()) {
            for (Map.Entry<String, FakeQuantizer> e : qm.weightQuantizers().entrySet()) {
                String layer = e.getKey();
                FakeQuantizer q = e.getValue();
                q.setQParams(qparams(ints, st, layer + ".weight", q, unused));
                long[] saved = tensor(ints, st, layer + ".weight_int", unused).toLongArray();
                NDArray w = qm.graph().node(layer).weighted().weight();
                NDArray levels = FakeQuantKernel.levels(w, q.qparams(), q.scheme().qmin(), q.scheme().qmax(), q.scheme().rounding());
                scope.tempAttachAll(levels);
                float[] now = levels.toFloatArray();
                int off = 0;
                for (int i = 0; i < now.length; i++) {
                    off += Math.round(now[i]) == saved[i] ? 0 : 1;
                }
                if (saved.length != now.length || off > 0) {
                    throw new InputException(pth + ": layer " + layer + ": " + off + " of " + now.length
                            + " weights are not on the grid of " + q.scheme() + " — the model was quantized with another"
                            + " deployment or bit width; pass the run's --deployment / --bits / --abits");
                }
            }
        }
        for (Map.Entry<String, FakeQuantizer> e : qm.activationQuantizers().entrySet()) {
            e.getValue().setQParams(qparams(ints, st, e.getKey(), e.getValue(), unused));
        }
        if (!unused.isEmpty()) {
            throw new InputException(st + ": tensors no quantizer of this deployment uses: " + unused
                    + " — the model was quantized with another deployment; pass the run's --deployment / --bits / --abits");
        }
        qm.enableQuantization();
    }

    private static void expectScheme(Path st, String key, Map<String, String> meta, String expected) {
        if (!expected.equals(meta.get(key))) {
            throw new InputException(st + ": " + key + " is " + meta.get(key) + ", the deployment given quantizes with " + expected
                    + "; pass the run's --deployment / --bits / --abits");
        }
    }

    private static QParams qparams(SafetensorsFile ints, Path st, String prefix, FakeQuantizer q, Set<String> unused) {
        float[] scale = tensor(ints, st, prefix + "_scale", unused).toFloatArray();
        long[] zero = tensor(ints, st, prefix + "_zero_point", unused).toLongArray();
        int[] z = new int[zero.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.toIntExact(zero[i]);
        }
        boolean perChannel = q.scheme().perChannel();
        if (!perChannel && scale.length != 1) {
            throw new InputException(st + ": " + prefix + "_scale: expected one scale (per tensor), got " + scale.length);
        }
        try {
            return new QParams(scale, z, perChannel ? q.scheme().channelAxis() : -1);
        } catch (IllegalArgumentException e) {
            throw new InputException(st + ": " + prefix + ": " + e.getMessage());
        }
    }

    private static TensorData tensor(SafetensorsFile ints, Path st, String key, Set<String> unused) {
        TensorData t = ints.stateDict().get(key);
        if (t == null) {
            throw new InputException(st + ": missing tensor '" + key + "' — the model was quantized with another deployment;"
                    + " pass the run's --deployment / --bits / --abits");
        }
        unused.remove(key);
        return t;
    }
}
