package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.lac4j.InputException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The pickle reader on hand-made opcode streams: plain values, and every limit it enforces. */
// Hang guard, not a speed target: a malformed opcode stream must never make the reader loop.
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnpicklerTest {

    private static Object load(byte[] pickle) {
        return new Unpickler(
                        "t.pth: data.pkl",
                        PickleInput.of(pickle),
                        pid -> {
                            throw new Unpickler.Refusal("no storages here");
                        })
                .load();
    }

    /**
     * Bytes from text in which {@code \\xNN} is one byte and every other char is its latin-1 byte.
     */
    private static byte[] b(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\x", i)) {
                out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.write(s.charAt(i));
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void plainValuesWithMemoAndTextOpcodes() {
        // {'a': [1, -2, 3.5, True, None, 'é'], 'b': <memo of the list>,
        //  'c': (I01 -> True, L5L -> 5, F0.25)}
        byte[] p =
                concat(
                        b(
                                "\\x80\\x02}q\\x00(X\\x01\\x00\\x00\\x00a]q\\x01(K\\x01J\\xfe\\xff\\xff\\xff"
                                    + "G@\\x0c\\x00\\x00\\x00\\x00\\x00\\x00\\x88N\\x8c\\x02"),
                        "\u00e9".getBytes(StandardCharsets.UTF_8),
                        b(
                                "eX\\x01\\x00\\x00\\x00bh\\x01X\\x01\\x00\\x00\\x00c(I01\\x0aL5L\\x0aF0.25\\x0atu."));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) load(p);
        List<Object> list = java.util.Arrays.asList(1L, -2L, 3.5, true, null, "\u00e9");
        assertThat(m.get("a")).isEqualTo(list);
        assertThat(m.get("b")).isSameAs(m.get("a"));
        assertThat(m.get("c")).isEqualTo(List.of(true, 5L, 0.25));
    }

    @Test
    void bigIntegersFromLong1() {
        byte[] p = b("\\x80\\x02\\x8a\\x0a\\x6c\\xfc\\x9c\\x46\\xf9\\x20\\x6a\\xa8\\x50\\x19.");
        assertThat(load(p)).isEqualTo(PthReader.LEGACY_MAGIC);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("unknown memo", "\\x80\\x02h\\x05.", "memo index 5 was never stored"),
                arguments("protocol 6", "\\x80\\x06N.", "unsupported pickle protocol 6"),
                arguments(
                        "INST opcode",
                        "\\x80\\x02(ios\\x0asystem\\x0a.",
                        "refusing to construct an object (opcode 0x69 'i')"),
                arguments(
                        "NEWOBJ",
                        "\\x80\\x02N)\\x81.",
                        "refusing to construct an object (opcode 0x81)"),
                arguments(
                        "complex storage",
                        "\\x80\\x02ctorch\\x0aComplexFloatStorage\\x0a.",
                        "unsupported storage type 'torch.ComplexFloatStorage'; expected a storage"
                            + " of [float32, float16, bfloat16"),
                arguments("EXT1", "\\x80\\x02\\x82\\x01.", "refusing extension-registry global"),
                arguments("unknown opcode", "\\x80\\x02\\xff.", "unsupported pickle opcode 0xff"),
                arguments("two items", "\\x80\\x02NN.", "STOP with 2 stack items"),
                arguments("underflow", "\\x80\\x02a.", "pickle stack underflow"),
                arguments("unhashable key", "\\x80\\x02}]Ns.", "unhashable dict key of type list"),
                arguments("APPEND to dict", "\\x80\\x02}Na.", "APPEND on dict; expected a list"),
                arguments(
                        "huge BINUNICODE",
                        "\\x80\\x02X\\xff\\xff\\xff\\xff.",
                        "declared length 4294967295 at offset 7 exceeds the 1 bytes left"),
                arguments(
                        "huge BINBYTES8",
                        "\\x80\\x02\\x8e\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x40.",
                        "declared length 4611686018427387904"),
                arguments(
                        "global by stack",
                        "\\x80\\x04\\x8c\\x02os\\x8c\\x06system\\x93.",
                        "refusing global 'os.system'"),
                arguments(
                        "REDUCE on str",
                        "\\x80\\x02X\\x01\\x00\\x00\\x00a)R.",
                        "refusing REDUCE on str"),
                arguments(
                        "torch.load",
                        "\\x80\\x02ctorch\\x0aload\\x0a.",
                        "refusing global 'torch.load'"),
                arguments(
                        "pid not a tuple",
                        "\\x80\\x02NQ.",
                        "persistent id must be a tuple, got None"),
                arguments(
                        "truncated",
                        "\\x80\\x02X\\x05\\x00\\x00\\x00ab",
                        "declared length 5 at offset 7 exceeds the 2 bytes left"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithOffsetAndReason(String name, String pickle, String fragment) {
        assertThatThrownBy(() -> load(b(pickle)))
                .as(name)
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("t.pth: data.pkl")
                .hasMessageContaining(fragment);
    }

    @Test
    void nestingStackAndMarksAreCapped() {
        assertThatThrownBy(() -> load(concat(b("\\x80\\x02"), b("(".repeat(1000)))))
                .hasMessageContaining("pickle nests deeper than 100 marks");
        assertThatThrownBy(
                        () ->
                                load(
                                        concat(
                                                b("\\x80\\x02"),
                                                b("]".repeat(200)),
                                                b("a".repeat(199)),
                                                b("."))))
                .hasMessageContaining("pickle nests deeper than 100 levels");
        assertThatThrownBy(
                        () -> load(concat(b("\\x80\\x02"), b(")"), b("\\x85".repeat(101)), b("."))))
                .hasMessageContaining("pickle nests deeper than 100 levels");
        byte[] many = concat(b("\\x80\\x02"), b("N".repeat(PickleStack.MAX_STACK + 1)), b("."));
        assertThatThrownBy(() -> load(many))
                .hasMessageContaining("pickle stack exceeds 1048576 items");
    }
}
