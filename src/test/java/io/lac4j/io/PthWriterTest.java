package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Java-written checkpoints read back identically. The files under target/java-written are also
 * checked by PyTorch: {@code /opt/lac4j-venv/bin/python tools/fixtures/verify_java_written.py}.
 */
class PthWriterTest {
    static final Path JAVA_WRITTEN = Path.of("target", "java-written");

    @BeforeAll
    static void createOutputDir() throws IOException {
        Files.createDirectories(JAVA_WRITTEN);
    }

    /** A state dict covering every dtype, a scalar and an empty tensor, from fixed formulas. */
    static StateDict javaStateDict() {
        Map<String, TensorData> m = new LinkedHashMap<>();
        float[] w = new float[24];
        for (int i = 0; i < w.length; i++) {
            w[i] = i * 0.25f - 3f;
        }
        m.put("conv.weight", TensorData.ofFloats(w, 2, 3, 2, 2));
        m.put("conv.bias", TensorData.ofFloats(new float[] {Float.MIN_VALUE, -0f, 1e30f}, 3));
        m.put("bn.num_batches_tracked", TensorData.scalarLong(12345678901L));
        m.put(
                "half",
                TensorData.of(
                        DType.FLOAT16, new long[] {2, 2}, le(2, 0x3c00, 0xc000, 0x7bff, 0x0001)));
        m.put("bf16", TensorData.of(DType.BFLOAT16, new long[] {3}, le(2, 0x3f80, 0xbfc0, 0x4049)));
        m.put(
                "double",
                TensorData.of(
                        DType.FLOAT64,
                        new long[] {2},
                        ByteBuffer.allocate(16)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .putDouble(Math.PI)
                                .putDouble(-1e-300)
                                .array()));
        m.put("int32", TensorData.of(DType.INT32, new long[] {2}, le(4, Integer.MIN_VALUE, 7)));
        m.put("int16", TensorData.of(DType.INT16, new long[] {2}, le(2, 0x8000, 0x7fff)));
        m.put("int8", TensorData.of(DType.INT8, new long[] {2}, new byte[] {-128, 127}));
        m.put("uint8", TensorData.of(DType.UINT8, new long[] {2}, new byte[] {(byte) 255, 3}));
        m.put("mask", TensorData.of(DType.BOOL, new long[] {1, 3}, new byte[] {1, 0, 1}));
        m.put("empty", TensorData.ofFloats(new float[0], 0, 4));
        m.put("scalar", TensorData.ofFloats(new float[] {2.5f}));
        return StateDict.of(m);
    }

    private static byte[] le(int width, long... values) {
        ByteBuffer b = ByteBuffer.allocate(width * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            if (width == 2) {
                b.putShort((short) v);
            } else {
                b.putInt((int) v);
            }
        }
        return b.array();
    }

    @Test
    void torchWrittenZipAndLegacyRoundTripThroughJava() {
        for (String name : List.of("mixed", "mixed_legacy")) {
            StateDict original = Checkpoints.read(IoFixtures.path(name + ".pth")).stateDict();
            Path out = JAVA_WRITTEN.resolve("roundtrip_" + name + ".pth");
            PthWriter.write(out, original);
            LoadedCheckpoint back = Checkpoints.read(out);
            assertThat(back.format()).isEqualTo(CheckpointFormat.PTH_ZIP);
            assertThat(back.stateDict()).isEqualTo(original);
            IoFixtures.assertMatches(back.stateDict(), IoFixtures.expected("mixed"));
        }
    }

    @Test
    void javaAuthoredWrappedCheckpointRoundTrips() throws IOException {
        StateDict sd = javaStateDict();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("net", sd);
        root.put("acc", 1.0);
        root.put("epoch", 7L);
        root.put("arch", "resnet18-cifar");
        root.put("history", List.of(0.5, 0.75, 1L, true));
        root.put("nothing", null);
        Path out = JAVA_WRITTEN.resolve("java_wrapped.pth");
        PthWriter.write(out, root);
        writeExpectedJson(sd, JAVA_WRITTEN.resolve("java_wrapped.expected.json"));

        LoadedCheckpoint back = Checkpoints.read(out);
        assertThat(back.stateDict()).isEqualTo(sd);
        assertThat(back.notes()).containsExactly("unwrapped \"net\"");
        assertThat(back.metadata())
                .containsExactly(
                        Map.entry("acc", 1.0),
                        Map.entry("epoch", 7L),
                        Map.entry("arch", "resnet18-cifar"));
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) PthReader.read(out);
        assertThat(raw.get("history")).isEqualTo(List.of(0.5, 0.75, 1L, true));
        assertThat(raw).containsEntry("nothing", null);
    }

    @Test
    void writeWrappedPutsTheStateDictUnderItsKey(@TempDir Path dir) {
        Path out = dir.resolve("w.pth");
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("acc", 93.1);
        extras.put("epoch", 3);
        PthWriter.writeWrapped(out, "state_dict", javaStateDict(), extras);
        LoadedCheckpoint back = Checkpoints.read(out);
        assertThat(back.stateDict()).isEqualTo(javaStateDict());
        assertThat(back.notes()).containsExactly("unwrapped \"state_dict\"");
        assertThat(back.metadata()).containsExactly(Map.entry("acc", 93.1), Map.entry("epoch", 3L));
    }

    @Test
    void safetensorsRoundTripWithMetadata() {
        SafetensorsFile torchWritten = SafetensorsReader.read(IoFixtures.path("mixed.safetensors"));
        Path out = JAVA_WRITTEN.resolve("java_mixed.safetensors");
        SafetensorsWriter.write(out, torchWritten.stateDict(), torchWritten.metadata());
        SafetensorsFile back = SafetensorsReader.read(out);
        assertThat(back.stateDict()).isEqualTo(torchWritten.stateDict());
        assertThat(back.metadata()).isEqualTo(Map.of("format", "pt", "source", "gen_io"));
        IoFixtures.assertMatches(back.stateDict(), IoFixtures.expected("mixed"));
    }

    @Test
    void storagesAreAlignedTo64BytesAndOutputIsDeterministic(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.pth");
        Path b = dir.resolve("b.pth");
        PthWriter.write(a, javaStateDict());
        PthWriter.write(b, javaStateDict());
        byte[] bytes = Files.readAllBytes(a);
        assertThat(bytes).isEqualTo(Files.readAllBytes(b));
        List<String> storages = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 0;
        while (buf.getInt(pos) == 0x04034b50) { // walk the local headers
            int nameLen = buf.getShort(pos + 26) & 0xffff;
            int extraLen = buf.getShort(pos + 28) & 0xffff;
            int size = buf.getInt(pos + 18);
            String name =
                    new String(bytes, pos + 30, nameLen, java.nio.charset.StandardCharsets.UTF_8);
            int dataStart = pos + 30 + nameLen + extraLen;
            if (name.startsWith("archive/data/")) {
                storages.add(name);
                assertThat(dataStart % PthWriter.ALIGNMENT).as(name).isZero();
            }
            pos = dataStart + size;
        }
        assertThat(storages).hasSize(javaStateDict().size());
    }

    @Test
    void failedWriteLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("half.pth");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                AtomicFile.write(
                                        target,
                                        out -> {
                                            out.write(new byte[1000]);
                                            throw new IOException("disk full");
                                        }))
                .isInstanceOf(io.lac4j.Lac4jException.class)
                .hasMessageContaining("half.pth: write failed: disk full");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> PthWriter.write(dir.resolve("x.pth"), Map.of("bad", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> PthWriter.write(dir.resolve("no/such/dir/x.pth"), javaStateDict()))
                .isInstanceOf(io.lac4j.InputException.class);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    /** The expected values for verify_java_written.py, in golden.py's JSON layout. */
    static void writeExpectedJson(StateDict sd, Path file) throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode root = mapper.createObjectNode();
        root.putObject("meta").put("acc", 1.0).put("epoch", 7);
        ObjectNode tensors = root.putObject("tensors");
        for (Map.Entry<String, TensorData> e : sd.entries()) {
            TensorData t = e.getValue();
            ObjectNode n = tensors.putObject(e.getKey());
            n.put("dtype", t.dtype().torchName());
            ArrayNode shape = n.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            ArrayNode data = n.putArray("data");
            if (t.dtype().isFloatingPoint()) {
                for (double v : t.toDoubleArray()) {
                    data.add(v);
                }
            } else {
                for (long v : t.toLongArray()) {
                    data.add(v);
                }
            }
        }
        mapper.writeValue(file.toFile(), root);
    }
}
