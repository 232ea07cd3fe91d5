package io.lac4j.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.lac4j.data.CalibrationConfig;
import io.lac4j.engine.Progress;
import io.lac4j.io.SafetensorsReader;
import io.lac4j.io.StateDict;
import io.lac4j.quant.Deployment;
import io.lac4j.quant.PrepareOptions;
import io.lac4j.quant.QuantConfig;
import io.lac4j.quant.QuantPreset;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quantize --export-onnx}: the ONNX QDQ export runs in ONNX Runtime with lac4j's numbers, its
 * operators and bit widths are the deployment's, every weight sits on the grid lac4j evaluated (the
 * integer levels, scales and zero points of the {@code .int.safetensors} export, exactly).
 */
class OnnxExportTest {
    private static final int IMAGES = 500;

    @TempDir Path dir;

    private QuantizeResult quantize(QuantConfig qc, PrepareOptions po, String name) {
        return Pipeline.quantize(new QuantizeRequest(ModelSource.of(FmnistFixture.checkpoint(), "auto"),
                new DataSource("fmnist", null, "stage2", 0, IMAGES), name, qc, po, CalibrationConfig.LAC.withBatches(4, 4), 1005,
                dir.resolve(name + ".pth"), null, 0, dir.resolve(name + ".onnx")), Progress.NONE);
    }

    private EvaluateResult inOrt(String name) {
        return Pipeline.evaluate(ModelSource.of(dir.resolve(name + ".onnx"), "auto"),
                new DataSource("fmnist", null, "stage2", 0, IMAGES), 1005, Progress.NONE);
    }

    @Test
    void academicW4A4RunsInOnnxRuntimeWithLac4jsNumbersOnLac4jsGrid() throws Exception {
        FmnistFixture.assumeDataInstalled();
        QuantizeResult q = quantize(QuantPreset.ACADEMIC_W4A4.config(), PrepareOptions.ACADEMIC, "w4a4");
        EvaluateResult ort = inOrt("w4a4");
        // ties of round(x/s) vs round(x·(1/s)) may move a rare image: at most one of 500 (0.2 points)
        assertThat(ort.fp().cda()).isCloseTo(q.naive().cda(), offset(0.21));
        assertThat(ort.fp().asrNt()).isCloseTo(q.naive().asrNt(), offset(0.21));

        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("w4a4.onnx")));
        assertThat(m.getOpsetImport(0).getVersion()).isEqualTo(21);
        Set<String> ops = m.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
        assertThat(ops).contains("Conv", "BatchNormalization", "QuantizeLinear", "DequantizeLinear", "Gemm", "Add", "Relu");
        Map<String, TensorProto> init = m.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, Function.identity()));
        // Academic: 4-bit asymmetric weights inside, the first and last layers at 8 bit
        assertThat(init.get("layer1.0.conv1.weight_quantized").getDataType()).isEqualTo(21);   // UINT4
        assertThat(init.get("conv1.weight_quantized").getDataType()).isEqualTo(2);             // UINT8
        assertThat(init.get("linear.weight_quantized").getDataType()).isEqualTo(2);
        StateDict ints = SafetensorsReader.read(dir.resolve("w4a4.int.safetensors")).stateDict();
        for (String layer : new String[] {"conv1", "layer1.0.conv1", "layer3.1.conv2", "linear"}) {
            float[] levels = ints.get(layer + ".weight_int").toFloatArray();
            int[] onnx = unpack(init.get(layer + ".weight_quantized"), levels.length);
            for (int i = 0; i < levels.length; i++) {
                assertThat(onnx[i]).as(layer + "[" + i + "]").isEqualTo((int) levels[i]);
            }
            assertThat(floats(init.get(layer + ".weight_scale"))).containsExactly(ints.get(layer + ".weight_scale").toFloatArray());
            float[] zp = ints.get(layer + ".weight_zero_point").toFloatArray();
            int[] onnxZp = unpack(init.get(layer + ".weight_zero_point"), zp.length);
            for (int i = 0; i < zp.length; i++) {
                assertThat(onnxZp[i]).isEqualTo((int) zp[i]);
            }
        }
        assertThat(m.getMetadataPropsList().stream().map(p -> p.getKey()).toList())
                .contains("lac4j_version", "source_sha256", "method", "lac4j_cda", "lac4j_asr_no_target");
    }

    /** fbgemm: symmetric int8 weights on every layer, uint8 reduced-range activations with their Clip. */
    @Test
    void fbgemmW8ExportsSignedWeightsAndClipsReducedRangeActivations() throws Exception {
        FmnistFixture.assumeDataInstalled();
        QuantizeResult q = quantize(Deployment.FBGEMM.config(8), Deployment.FBGEMM.prepare(), "fbgemm8");
        EvaluateResult ort = inOrt("fbgemm8");
        assertThat(ort.fp().cda()).isCloseTo(q.naive().cda(), offset(0.21));
        ModelProto m = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("fbgemm8.onnx")));
        Map<String, TensorProto> init = m.getGraph().getInitializerList().stream()
                .collect(Collectors.toMap(TensorProto::getName, Function.identity()));
        assertThat(init.get("conv1.weight_quantized").getDataType()).isEqualTo(3);             // INT8
        assertThat(m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Clip")).count()).isPositive();
    }

    private static int[] unpack(TensorProto t, int n) {
        byte[] raw = t.getRawData().toByteArray();
        int[] out = new int[n];
        boolean four = t.getDataType() == 21 || t.getDataType() == 22;
        boolean signed = t.getDataType() == 22 || t.getDataType() == 3;
        for (int i = 0; i < n; i++) {
            int v = four ? (raw[i / 2] >> (i % 2 == 0 ? 0 : 4)) & 0xF : raw[i] & 0xFF;
            out[i] = signed ? (four ? (v << 28) >> 28 : (byte) v) : v;
        }
        return out;
    }

    private static float[] floats(TensorProto t) {
        ByteBuffer b = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
