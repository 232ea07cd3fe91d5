package io.lac4j.io;

import io.lac4j.InputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, ordered map from PyTorch parameter/buffer names ({@code layer1.0.conv1.weight}) to
 * tensors; insertion order is the checkpoint's order.
 */
public final class StateDict {
    /** Wrapper keys tried, in this order, when the top-level dict is not itself a state dict. */
    static final List<String> WRAPPER_KEYS = List.of("net", "state_dict", "model");

    private static final String DATA_PARALLEL_PREFIX = "module.";
    private static final int MAX_UNWRAP_DEPTH = 3;

    private final Map<String, TensorData> tensors;

    private StateDict(LinkedHashMap<String, TensorData> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    /** A state dict holding {@code tensors} in their iteration order. */
    public static StateDict of(Map<String, TensorData> tensors) {
        LinkedHashMap<String, TensorData> copy = new LinkedHashMap<>();
        tensors.forEach(
                (k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, k)));
        return new StateDict(copy);
    }

    public static StateDict empty() {
        return new StateDict(new LinkedHashMap<>());
    }

    /** The tensor under {@code key}, or null. */
    public TensorData get(String key) {
        return tensors.get(key);
    }

    public boolean contains(String key) {
        return tensors.containsKey(key);
    }

    /** Keys in checkpoint order. */
    public Set<String> keys() {
        return tensors.keySet();
    }

    /** Entries in checkpoint order (unmodifiable). */
    public Set<Map.Entry<String, TensorData>> entries() {
        return tensors.entrySet();
    }

    /** An unmodifiable map view, in checkpoint order. */
    public Map<String, TensorData> asMap() {
        return tensors;
    }

    public int size() {
        return tensors.size();
    }

    /** A copy with {@code key} set to {@code tensor} (replaced in place, or appended). */
    public StateDict with(String key, TensorData tensor) {
        LinkedHashMap<String, TensorData> copy = new LinkedHashMap<>(tensors);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(tensor, key));
        return new StateDict(copy);
    }

    /** A copy without {@code key}. */
    public StateDict without(String key) {
        LinkedHashMap<String, TensorData> copy = new LinkedHashMap<>(tensors);
        copy.remove(key);
        return new StateDict(copy);
    }

    /**
     * What {@link #unwrap} found: the state dict, notes on what was unwrapped or ignored (for
     * reports), and the top-level scalar values such as {@code acc} or {@code epoch}.
     */
    public record Unwrapped(StateDict stateDict, List<String> notes, Map<String, Object> metadata) {
        public Unwrapped {
            notes = List.copyOf(notes);
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** Notes joined for one log line, e.g. {@code unwrapped "net", stripped "module."}. */
        public String describe() {
            return notes.isEmpty() ? "bare state dict" : String.join(", ", notes);
        }
    }

    /** {@link #unwrap(Object, String)} with the source named "checkpoint". */
    public static Unwrapped unwrap(Object pickled) {
        return unwrap(pickled, "checkpoint");
    }

    /**
     * Finds the state dict in an unpickled checkpoint: a dict of tensors itself, or such a dict
     * under {@code 'net'}, {@code 'state_dict'} or {@code 'model'} (tried in that order, up to
     * three levels), with a {@code module.} prefix common to all keys (DataParallel) stripped.
     * Non-tensor entries of the chosen dict are dropped with a note.
     *
     * @param source the file name for messages
     * @throws InputException if no dict of tensors is found
     */
    public static Unwrapped unwrap(Object pickled, String source) {
        List<String> notes = new ArrayList<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        Object current = pickled;
        String path = "";
        for (int depth = 0; depth < MAX_UNWRAP_DEPTH && current instanceof Map; depth++) {
            Map<?, ?> map = (Map<?, ?>) current;
            collectScalars(map, path, metadata);
            if (countTensors(map) > 0) {
                break;
            }
            String chosen = null;
            for (String key : WRAPPER_KEYS) {
                if (map.get(key) instanceof Map) {
                    chosen = key;
                    break;
                }
            }
            if (chosen == null) {
                break;
            }
            current = map.get(chosen);
            path = path.isEmpty() ? chosen : path + "." + chosen;
        }
        if (!path.isEmpty()) {
            notes.add("unwrapped \"" + path + "\"");
        }
        if (!(current instanceof Map) || countTensors((Map<?, ?>) current) == 0) {
            throw new InputException(
                    source
                            + ": expected a state dict (a dict of tensors, possibly under 'net',"
                            + " 'state_dict' or 'model'), got "
                            + PickleValues.describe(pickled)
                            + " with no tensors"
                            + (path.isEmpty() ? "" : " under '" + path + "'"));
        }
        LinkedHashMap<String, TensorData> tensors = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) current).entrySet()) {
            if (e.getKey() instanceof String && e.getValue() instanceof TensorData) {
                tensors.put((String) e.getKey(), (TensorData) e.getValue());
            } else {
                ignored.add(
                        PickleValues.describeKey(e.getKey())
                                + " ("
                                + PickleValues.typeName(e.getValue())
                                + ")");
            }
        }
        if (tensors.keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))) {
            LinkedHashMap<String, TensorData> stripped = new LinkedHashMap<>();
            tensors.forEach((k, v) -> stripped.put(k.substring(DATA_PARALLEL_PREFIX.length()), v));
            tensors = stripped;
            notes.add("stripped \"" + DATA_PARALLEL_PREFIX + "\"");
        }
        if (!ignored.isEmpty()) {
            int shown = Math.min(ignored.size(), 5);
            notes.add(
                    "ignored "
                            + ignored.size()
                            + " non-tensor entr"
                            + (ignored.size() == 1 ? "y" : "ies")
                            + ": "
                            + String.join(", ", ignored.subList(0, shown))
                            + (shown < ignored.size() ? ", ..." : ""));
        }
        return new Unwrapped(new StateDict(tensors), notes, metadata);
    }

    private static long countTensors(Map<?, ?> map) {
        return map.values().stream().filter(v -> v instanceof TensorData).count();
    }

    private static void collectScalars(Map<?, ?> map, String path, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            if (e.getKey() instanceof String
                    && (v instanceof String || v instanceof Number || v instanceof Boolean)) {
                out.put(path.isEmpty() ? (String) e.getKey() : path + "." + e.getKey(), v);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        // order matters: two checkpoints with the same tensors in another order are different files
        return o instanceof StateDict
                && new ArrayList<>(((StateDict) o).tensors.entrySet())
                        .equals(new ArrayList<>(tensors.entrySet()));
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return "StateDict" + tensors.keySet();
    }
}
