package io.lac4j.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A golden fixture written by {@code tools/fixtures/golden.py}: named tensors plus metadata,
 * loaded from {@code src/test/resources/golden/<topic>/<name>.json}.
 */
public final class Golden {
    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final String resource;
    private final JsonNode root;

    private Golden(String resource, JsonNode root) {
        this.resource = resource;
        this.root = root;
    }

    /** Loads {@code golden/<topic>/<name>.json} from the test class path. */
    public static Golden load(String topic, String name) {
        String resource = "/golden/" + topic + "/" + name + ".json";
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        resource + ": fixture missing; run tools/fixtures/make_golden.py");
            }
            return new Golden(resource, MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }

    public JsonNode meta() {
        return root.path("meta");
    }

    private JsonNode entry(String name) {
        JsonNode e = root.path("tensors").get(name);
        if (e == null) {
            throw new IllegalArgumentException(resource + ": no tensor '" + name + "'");
        }
        return e;
    }

    /** Names of all tensors in the fixture, in file order. */
    public java.util.List<String> tensorNames() {
        java.util.List<String> names = new java.util.ArrayList<>();
        root.path("tensors").fieldNames().forEachRemaining(names::add);
        return names;
    }

    public boolean has(String name) {
        return root.path("tensors").has(name);
    }

    public long[] shape(String name) {
        JsonNode s = entry(name).get("shape");
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.get(i).asLong();
        }
        return out;
    }

    public float[] floats(String name) {
        JsonNode d = entry(name).get("data");
        float[] out = new float[d.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = d.get(i);
            out[i] = v.isBoolean() ? (v.asBoolean() ? 1f : 0f) : (float) v.asDouble();
        }
        return out;
    }

    public long[] longs(String name) {
        JsonNode d = entry(name).get("data");
        long[] out = new long[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.get(i).asLong();
        }
        return out;
    }

    /** The first element of a tensor, as a double. */
    public double scalar(String name) {
        return entry(name).get("data").get(0).asDouble();
    }

    /** The tensor as a float32 NDArray in {@code manager}. */
    public NDArray array(String name, NDManager manager) {
        return manager.create(floats(name), new Shape(shape(name)));
    }
}
