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

    /**
     * Prefixes wrappers put before every key: {@code module.} (DataParallel, DistributedDataParallel,
     * {@code torch.optim.swa_utils.AveragedModel}) and {@code _orig_mod.} ({@code torch.compile}), in any nesting.
     */
    static final List<String> WRAPPER_PREFIXES = List.of("module.", "_orig_mod.");
    /** AveragedModel's counter, stored next to its {@code module.*} weights; no model has such a key. */
    private static final String AVERAGED_COUNTER = "n_averaged";
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
        tensors = stripWrapperPrefixes(tensors, notes, source);
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

    /**
     * Strips wrapper prefixes ({@link #WRAPPER_PREFIXES}) while more than half the keys carry one: those
     * lose it, the others stay as they are (an EMA model's {@code n_averaged} is dropped with a note).
     * Two keys that would become one are refused, naming both.
     */
    static LinkedHashMap<String, TensorData> stripWrapperPrefixes(LinkedHashMap<String, TensorData> tensors,
                                                                  List<String> notes, String source) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (String prefix : WRAPPER_PREFIXES) {
                long with = tensors.keySet().stream().filter(k -> k.startsWith(prefix)).count();
                if (with * 2 <= tensors.size()) {
                    continue;
                }
                LinkedHashMap<String, TensorData> out = new LinkedHashMap<>();
                Map<String, String> origin = new LinkedHashMap<>();
                List<String> kept = new ArrayList<>();
                for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
                    String k = e.getKey();
                    if (prefix.equals("module.") && k.equals(AVERAGED_COUNTER)) {
                        notes.add("dropped AveragedModel's \"" + AVERAGED_COUNTER + "\"");
                        continue;
                    }
                    String key = k.startsWith(prefix) ? k.substring(prefix.length()) : k;
                    if (!k.startsWith(prefix)) {
                        kept.add(k);
                    }
                    String earlier = origin.putIfAbsent(key, k);
                    if (earlier != null) {
                        throw new InputException(source + ": keys '" + earlier + "' and '" + k + "' are the same tensor name '"
                                + key + "' once the wrapper prefix '" + prefix + "' is stripped; save the unwrapped model's state_dict");
                    }
                    out.put(key, e.getValue());
                }
                tensors = out;
                notes.add("stripped \"" + prefix + "\"" + (kept.isEmpty() ? ""
                        : " (kept " + kept.size() + " key" + (kept.size() == 1 ? "" : "s") + " without it: "
                                + String.join(", ", kept.subList(0, Math.min(3, kept.size()))) + (kept.size() > 3 ? ", ..." : "") + ")"));
                changed = true;
            }
        }
        return tensors;
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
