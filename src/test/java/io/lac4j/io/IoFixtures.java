package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Locates io fixtures and compares tensors with golden JSON exactly (dtype, shape and every value).
 */
final class IoFixtures {
    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private IoFixtures() {}

    static Path path(String relative) {
        URL url = IoFixtures.class.getResource("/golden/io/" + relative);
        if (url == null) {
            throw new IllegalStateException(
                    "golden/io/" + relative + ": fixture missing; run make_golden.py io");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected(String name) {
        try {
            return MAPPER.readTree(path(name + ".json").toFile()).path("tensors");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> expectedKeys(JsonNode tensors) {
        List<String> keys = new ArrayList<>();
        tensors.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** Asserts that {@code sd} holds exactly the golden tensors, in order, bit for bit. */
    static void assertMatches(StateDict sd, JsonNode tensors) {
        assertThat(new ArrayList<>(sd.keys())).containsExactlyElementsOf(expectedKeys(tensors));
        for (Iterator<Map.Entry<String, JsonNode>> it = tensors.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertTensor(e.getKey(), sd.get(e.getKey()), e.getValue());
        }
    }

    /** A golden tensor's values as the float32 numbers {@code v.float()} gives. */
    static double[] asFloat32(JsonNode exp) {
        JsonNode data = exp.get("data");
        double[] out = new double[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) data.get(i).asDouble();
        }
        return out;
    }

    static void assertTensor(String key, TensorData t, JsonNode exp) {
        assertThat(t).as(key).isNotNull();
        assertThat(t.dtype().torchName()).as(key + " dtype").isEqualTo(exp.get("dtype").asText());
        long[] shape = new long[exp.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = exp.get("shape").get(i).asLong();
        }
        assertThat(t.shape()).as(key + " shape").containsExactly(shape);
        JsonNode data = exp.get("data");
        assertThat(t.numel()).as(key + " numel").isEqualTo(data.size());
        if (t.dtype().isFloatingPoint()) {
            double[] actual = t.toDoubleArray();
            for (int i = 0; i < actual.length; i++) {
                double want = data.get(i).asDouble();
                assertThat(Double.doubleToLongBits(actual[i]))
                        .as("%s[%d]: actual %s, expected %s", key, i, actual[i], want)
                        .isEqualTo(Double.doubleToLongBits(want));
            }
        } else {
            long[] actual = t.toLongArray();
            for (int i = 0; i < actual.length; i++) {
                JsonNode v = data.get(i);
                long want = v.isBoolean() ? (v.asBoolean() ? 1 : 0) : v.asLong();
                assertThat(actual[i]).as("%s[%d]", key, i).isEqualTo(want);
            }
        }
    }
}
