package io.lac4j.deploy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.lac4j.InputException;
import io.lac4j.io.AtomicFile;
import io.lac4j.nn.BatchNorm2d;
import io.lac4j.nn.Conv2d;
import io.lac4j.nn.Graph;
import io.lac4j.nn.Linear;
import io.lac4j.nn.Node;
import io.lac4j.nn.Ops;
import io.lac4j.quant.ActivationQuantLayer;
import io.lac4j.quant.FakeQuantKernel;
import io.lac4j.quant.FakeQuantizer;
import io.lac4j.quant.QParams;
import io.lac4j.quant.QScheme;
import io.lac4j.quant.QuantizedModel;
import io.lac4j.quant.Rounding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A fake-quantized model as an ONNX model in QDQ form, on exactly the grid lac4j evaluated: every
 * quantized weight an integer initializer (int8/uint8, or int4/uint4 at 4 bits and below, opset 21)
 * with its scales and zero points and a DequantizeLinear (per channel along axis 0 where the scheme
 * is), every active activation quantizer a QuantizeLinear + DequantizeLinear pair (with a Clip where
 * the scheme's range is narrower than its integer type, e.g. fbgemm's reduced range), BatchNorm as
 * BatchNormalization (the simulated deployment keeps it unfolded), the rest as the matching ONNX op.
 * Quantizers that are off (32 bits, or not quantizing) stay float. Metadata: whatever the caller
 * gives (lac4j version, source checkpoint, deployment, method, metrics).
 */
public final class OnnxExport {
    /** The opset whose QuantizeLinear / DequantizeLinear take 4-bit types. */
    public static final int OPSET = 21;
    static final int IR_VERSION = 10;
    static final String INPUT = "input";
    static final String OUTPUT = "logits";

    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT8 = 3;
    static final int UINT4 = 21;
    static final int INT4 = 22;

    private OnnxExport() {}

    /**
     * Writes {@code qm} (input {@code [N, C, H, W]} with {@code chw} = C, H, W) to {@code file},
     * through a temporary sibling.
     *
     * @throws InputException naming the node when a layer or scheme has no exact ONNX form
     */
    public static void write(QuantizedModel qm, int[] chw, Map<String, String> metadata, Path file) {
        try {
            AtomicFile.write(file, build(qm, chw, metadata).toByteArray());
        } catch (java.io.IOException e) {
            throw new InputException(file + ": cannot write the ONNX model: " + e.getMessage());
        }
    }

    /** The model as a protobuf message. */
    public static ModelProto build(QuantizedModel qm, int[] chw, Map<String, String> metadata) {
        Graph g = qm.graph();
        Map<String, long[]> inputShapes = adaptivePoolInputShapes(g, chw);
        GraphProto.Builder gb = GraphProto.newBuilder().setName("lac4j");
        gb.addInput(floatValue(INPUT, "N", chw));
        for (Node n : g.nodes()) {
            String in = n.inputs().isEmpty() ? null : value(n.inputs().get(0));
            String out = n.name();
            if (n.op() instanceof Conv2d c) {
                String w = weight(gb, qm, n.name(), c.weight());
                NodeProto.Builder b = node("Conv", out, in, w);
                if (c.bias() != null) {
                    b.addInput(floats(gb, n.name() + ".bias", c.bias()));
                }
                long k = c.kernelSize();
                long p = c.paddingSize();
                gb.addNode(b.addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", c.strideSize(), c.strideSize()))
                        .addAttribute(ints("pads", p, p, p, p)).addAttribute(attr("group", c.groups())));
            } else if (n.op() instanceof Linear l) {
                String w = weight(gb, qm, n.name(), l.weight());
                NodeProto.Builder b = node("Gemm", out, in, w).addAttribute(attr("transB", 1));
                if (l.bias() != null) {
                    b.addInput(floats(gb, n.name() + ".bias", l.bias()));
                }
                gb.addNode(b);
            } else if (n.op() instanceof BatchNorm2d bn) {
                gb.addNode(node("BatchNormalization", out, in, floats(gb, n.name() + ".weight", bn.gamma()),
                        floats(gb, n.name() + ".bias", bn.beta()), floats(gb, n.name() + ".running_mean", bn.runningMean()),
                        floats(gb, n.name() + ".running_var", bn.runningVar()))
                        .addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT)
                                .setF(bn.eps())));
            } else if (n.op() instanceof ActivationQuantLayer a) {
                activation(gb, n.name(), in, out, a.quantizer());
            } else {
                stateless(gb, n, in, out, inputShapes);
            }
        }
        gb.addNode(node("Identity", OUTPUT, value(g.output())));
        gb.addOutput(ValueInfoProto.newBuilder().setName(OUTPUT).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT))));
        ModelProto.Builder mb = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("lac4j")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(gb);
        metadata.forEach((k, v) -> mb.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return mb.build();
    }

    private static String value(String node) {
        return node.equals(Graph.INPUT) ? INPUT : node;
    }

    /** The layer's weight: quantized initializer + DequantizeLinear, or float when its quantizer is off. */
    private static String weight(GraphProto.Builder gb, QuantizedModel qm, String layer, NDArray w) {
        FakeQuantizer q = qm.weightQuantizers().get(layer);
        if (q == null || !q.scheme().enabled() || !q.quantizing()) {
            return floats(gb, layer + ".weight", w);
        }
        QScheme sc = q.scheme();
        QParams qp = q.qparams();
        int type = intType(sc, layer);
        int[] levels;
        try (NDArray l = FakeQuantKernel.levels(w, qp, sc.qmin(), sc.qmax(), sc.rounding())) {
            float[] f = l.toFloatArray();
            levels = new int[f.length];
            for (int i = 0; i < f.length; i++) {
                levels[i] = Math.round(f[i]);
            }
        }
        String base = layer + ".weight";
        gb.addInitializer(intTensor(base + "_quantized", type, w.getShape().getShape(), levels));
        long[] qshape = qp.perChannel() ? new long[] {qp.channels()} : new long[0];
        gb.addInitializer(floatTensor(base + "_scale", qshape, qp.scale()));
        gb.addInitializer(intTensor(base + "_zero_point", type, qshape, qp.zeroPoint()));
        NodeProto.Builder dq = node("DequantizeLinear", base, base + "_quantized", base + "_scale", base + "_zero_point");
        if (qp.perChannel()) {
            dq.addAttribute(attr("axis", qp.axis()));
        }
        gb.addNode(dq);
        return base;
    }

    private static void activation(GraphProto.Builder gb, String name, String in, String out, FakeQuantizer q) {
        QScheme sc = q.scheme();
        if (!sc.enabled() || !q.quantizing()) {
            gb.addNode(node("Identity", out, in));
            return;
        }
        QParams qp = q.qparams();
        if (qp.perChannel()) {
            throw new InputException("ONNX export: activation quantizer '" + name + "' is per channel; only per-tensor is supported");
        }
        if (sc.rounding() != Rounding.HALF_EVEN) {
            throw new InputException("ONNX export: activation quantizer '" + name + "' rounds " + sc.rounding()
                    + "; QuantizeLinear rounds half to even");
        }
        int type = intType(sc, name);
        gb.addInitializer(floatTensor(name + ".scale", new long[0], qp.scale()));
        gb.addInitializer(intTensor(name + ".zero_point", type, new long[0], qp.zeroPoint()));
        gb.addNode(node("QuantizeLinear", name + "_quantized", in, name + ".scale", name + ".zero_point"));
        int[] range = typeRange(type);
        boolean narrower = sc.qmin() > range[0] || sc.qmax() < range[1];
        String dq = narrower ? name + "_dequantized" : out;
        gb.addNode(node("DequantizeLinear", dq, name + "_quantized", name + ".scale", name + ".zero_point"));
        if (narrower) {
            // (clamp(q, qmin, qmax) − z)·s = clip((q − z)·s, (qmin − z)·s, (qmax − z)·s): the product is monotonic in q
            float s = qp.scale(0);
            int z = qp.zeroPoint(0);
            gb.addInitializer(floatTensor(name + ".clip_min", new long[0], new float[] {(sc.qmin() - z) * s}));
            gb.addInitializer(floatTensor(name + ".clip_max", new long[0], new float[] {(sc.qmax() - z) * s}));
            gb.addNode(node("Clip", out, dq, name + ".clip_min", name + ".clip_max"));
        }
    }

    private static void stateless(GraphProto.Builder gb, Node n, String in, String out, Map<String, long[]> inputShapes) {
        Ops.Spec spec = Ops.spec(n.op());
        if (spec == null) {
            throw new InputException("ONNX export: node '" + n.name() + "' (" + n.op().describe() + ") has no ONNX form in lac4j");
        }
        switch (spec.kind()) {
            case RELU -> gb.addNode(node("Relu", out, in));
            case RELU6 -> {
                gb.addInitializer(floatTensor(n.name() + ".min", new long[0], new float[] {0f}));
                gb.addInitializer(floatTensor(n.name() + ".max", new long[0], new float[] {6f}));
                gb.addNode(node("Clip", out, in, n.name() + ".min", n.name() + ".max"));
            }
            case MAX_POOL -> gb.addNode(node("MaxPool", out, in).addAttribute(ints("kernel_shape", spec.kernel(), spec.kernel()))
                    .addAttribute(ints("strides", spec.stride(), spec.stride()))
                    .addAttribute(ints("pads", spec.padding(), spec.padding(), spec.padding(), spec.padding())));
            case AVG_POOL -> gb.addNode(node("AveragePool", out, in).addAttribute(ints("kernel_shape", spec.kernel(), spec.kernel()))
                    .addAttribute(ints("strides", spec.stride(), spec.stride()))
                    .addAttribute(ints("pads", spec.padding(), spec.padding(), spec.padding(), spec.padding()))
                    .addAttribute(attr("count_include_pad", 1)));
            case ADAPTIVE_AVG_POOL -> adaptivePool(gb, n.name(), in, out, spec.kernel(), inputShapes.get(n.name()));
            case FLATTEN -> gb.addNode(node("Flatten", out, in).addAttribute(attr("axis", 1)));
            case ADD -> gb.addNode(node("Add", out, in, value(n.inputs().get(1))));
            case IDENTITY, DROPOUT -> gb.addNode(node("Identity", out, in));
        }
    }

    /**
     * PyTorch's adaptive average pool to {@code size}×{@code size}: GlobalAveragePool for 1×1, an
     * AveragePool where the input divides evenly, else two MatMuls with PyTorch's averaging windows
     * (rows {@code [⌊i·H/S⌋, ⌈(i+1)·H/S⌉)}).
     */
    private static void adaptivePool(GraphProto.Builder gb, String name, String in, String out, int size, long[] shape) {
        int h = (int) shape[2];
        int w = (int) shape[3];
        if (size == 1) {
            gb.addNode(node("GlobalAveragePool", out, in));
        } else if (h == w && h % size == 0) {
            long k = h / size;
            gb.addNode(node("AveragePool", out, in).addAttribute(ints("kernel_shape", k, k)).addAttribute(ints("strides", k, k)));
        } else {
            gb.addInitializer(floatTensor(name + ".cols", new long[] {w, size}, windows(w, size, true)));
            gb.addInitializer(floatTensor(name + ".rows", new long[] {size, h}, windows(h, size, false)));
            gb.addNode(node("MatMul", name + "_cols", in, name + ".cols"));
            gb.addNode(node("MatMul", out, name + ".rows", name + "_cols"));
        }
    }

    /** The averaging matrix of an adaptive pool from {@code n} to {@code s}: [n, s] (transposed) or [s, n]. */
    static float[] windows(int n, int s, boolean transposed) {
        float[] m = new float[n * s];
        for (int i = 0; i < s; i++) {
            int start = (int) Math.floor((double) i * n / s);
            int end = (int) Math.ceil((double) (i + 1) * n / s);
            for (int j = start; j < end; j++) {
                m[transposed ? j * s + i : i * n + j] = 1f / (end - start);
            }
        }
        return m;
    }

    /** Input shapes of the adaptive pools, from one forward of a zero image. */
    private static Map<String, long[]> adaptivePoolInputShapes(Graph g, int[] chw) {
        Set<String> pools = g.nodes().stream()
                .filter(n -> Ops.spec(n.op()) != null && Ops.spec(n.op()).kind() == Ops.Kind.ADAPTIVE_AVG_POOL)
                .map(Node::name).collect(Collectors.toSet());
        if (pools.isEmpty()) {
            return Map.of();
        }
        Set<String> taps = g.nodes().stream().filter(n -> pools.contains(n.name())).map(n -> n.inputs().get(0))
                .collect(Collectors.toSet());
        try (NDManager m = g.manager().newSubManager()) {
            Map<String, NDArray> out = g.forward(m.zeros(new Shape(1, chw[0], chw[1], chw[2])), taps, null);
            return g.nodes().stream().filter(n -> pools.contains(n.name()))
                    .collect(Collectors.toMap(Node::name, n -> out.get(n.inputs().get(0)).getShape().getShape()));
        }
    }

    /** The ONNX integer type of a scheme: 4-bit containers up to 4 bits, 8-bit up to 8; signed when qmin < 0. */
    static int intType(QScheme sc, String where) {
        if (sc.bits() > 8) {
            throw new InputException("ONNX export: '" + where + "' quantizes to " + sc.bits() + " bits; QDQ takes 2 to 8");
        }
        boolean signed = sc.qmin() < 0;
        if (sc.bits() <= 4) {
            return signed ? INT4 : UINT4;
        }
        return signed ? INT8 : UINT8;
    }

    static int[] typeRange(int type) {
        return switch (type) {
            case UINT4 -> new int[] {0, 15};
            case INT4 -> new int[] {-8, 7};
            case UINT8 -> new int[] {0, 255};
            case INT8 -> new int[] {-128, 127};
            default -> throw new IllegalArgumentException("not an integer type: " + type);
        };
    }

    private static NodeProto.Builder node(String op, String out, String... inputs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).setName(out + "/" + op).addOutput(out);
        for (String i : inputs) {
            b.addInput(i);
        }
        return b;
    }

    private static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static String floats(GraphProto.Builder gb, String name, NDArray a) {
        gb.addInitializer(floatTensor(name, a.getShape().getShape(), a.toFloatArray()));
        return name;
    }

    static TensorProto floatTensor(String name, long[] shape, float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        return tensor(name, FLOAT, shape).setRawData(ByteString.copyFrom(buf.array())).build();
    }

    /** Integers of {@code type}; 4-bit types are packed two per byte, the first element in the low nibble. */
    static TensorProto intTensor(String name, int type, long[] shape, int[] values) {
        byte[] raw;
        if (type == UINT4 || type == INT4) {
            raw = new byte[(values.length + 1) / 2];
            for (int i = 0; i < values.length; i++) {
                raw[i / 2] |= (byte) ((values[i] & 0xF) << (i % 2 == 0 ? 0 : 4));
            }
        } else {
            raw = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                raw[i] = (byte) values[i];
            }
        }
        return tensor(name, type, shape).setRawData(ByteString.copyFrom(raw)).build();
    }

    private static TensorProto.Builder tensor(String name, int type, long[] shape) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type);
        for (long d : shape) {
            t.addDims(d);
        }
        return t;
    }

    private static ValueInfoProto floatValue(String name, String batch, int[] chw) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (int d : chw) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(s))).build();
    }
}
