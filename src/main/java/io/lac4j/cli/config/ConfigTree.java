package io.lac4j.cli.config;

import io.lac4j.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A nested YAML-like configuration (maps of maps, lists and scalars) addressed by dotted paths
 * ({@code quantize.reconstruction.max_count}), remembering where each value came from and which
 * keys were read, so unused keys can be reported as the reference's Hydra run would silently
 * ignore them.
 */
public final class ConfigTree {
    private final Map<String, Object> root;
    private final Map<String, String> origin = new LinkedHashMap<>();
    private final Set<String> read = new LinkedHashSet<>();

    public ConfigTree(Map<String, Object> root, String source) {
        this.root = deepCopy(root);
        for (String leaf : leaves()) {
            origin.put(leaf, source);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            out.put(String.valueOf(e.getKey()), v instanceof Map<?, ?> mm ? deepCopy((Map<String, Object>) mm) : v);
        }
        return out;
    }

    /** Every leaf path (dotted), in document order. */
    public List<String> leaves() {
        List<String> out = new ArrayList<>();
        collect("", root, out);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(String prefix, Map<String, Object> m, List<String> out) {
        for (Map.Entry<String, Object> e : m.entrySet()) {
            String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> mm && !mm.isEmpty()) {
                collect(p, (Map<String, Object>) mm, out);
            } else {
                out.add(p);
            }
        }
    }

    public boolean has(String path) {
        return lookup(path) != MISSING;
    }

    private static final Object MISSING = new Object();

    @SuppressWarnings("unchecked")
    private Object lookup(String path) {
        Object cur = root;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m) || !m.containsKey(part)) {
                return MISSING;
            }
            cur = ((Map<String, Object>) m).get(part);
        }
        return cur;
    }

    /** The raw value (null if absent or null); marks the key as read. */
    public Object get(String path) {
        read.add(path);
        Object v = lookup(path);
        return v == MISSING ? null : v;
    }

    /** Where a value came from ({@code r18_4_4.yaml}, {@code command line}, {@code template qu_fmnist_fp}). */
    public String origin(String path) {
        return origin.getOrDefault(path, "defaults");
    }

    /** Sets a value, creating intermediate maps; {@code source} is recorded for error messages. */
    @SuppressWarnings("unchecked")
    public void set(String path, Object value, String source) {
        String[] parts = path.split("\\.");
        Map<String, Object> cur = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Object next = cur.get(parts[i]);
            if (!(next instanceof Map<?, ?>)) {
                next = new LinkedHashMap<String, Object>();
                cur.put(parts[i], next);
            }
            cur = (Map<String, Object>) next;
        }
        cur.put(parts[parts.length - 1], value);
        origin.put(path, source);
    }

    /** Removes a key (Hydra's {@code ~key}); false if it was absent. */
    @SuppressWarnings("unchecked")
    public boolean remove(String path) {
        String[] parts = path.split("\\.");
        Object cur = root;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(cur instanceof Map<?, ?> m)) {
                return false;
            }
            cur = ((Map<String, Object>) m).get(parts[i]);
        }
        return cur instanceof Map<?, ?> m && ((Map<String, Object>) m).remove(parts[parts.length - 1]) != null;
    }

    public String string(String path, String fallback) {
        Object v = get(path);
        return v == null ? fallback : String.valueOf(v);
    }

    public boolean bool(String path, boolean fallback) {
        Object v = get(path);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true")) {
            return true;
        }
        if (s.equals("false")) {
            return false;
        }
        throw bad(path, "true or false", v);
    }

    public int integer(String path, int fallback) {
        Object v = get(path);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw bad(path, "an integer", v);
        }
    }

    public double number(String path, double fallback) {
        Object v = get(path);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw bad(path, "a number", v);
        }
    }

    public List<Object> list(String path) {
        Object v = get(path);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        throw bad(path, "a list like [20, 2]", v);
    }

    /** An {@link InputException} in the house style: source, key, expected, got. */
    public InputException bad(String path, String expected, Object got) {
        return new InputException(origin(path) + ": key '" + path + "': expected " + expected + ", got '" + got + "'");
    }

    /** Leaf keys that were never read (reported, as the reference ignores them silently). */
    public Set<String> unused() {
        Set<String> out = new TreeSet<>();
        for (String leaf : leaves()) {
            boolean used = read.stream().anyMatch(r -> leaf.equals(r) || leaf.startsWith(r + "."));
            if (!used) {
                out.add(leaf);
            }
        }
        return out;
    }

    /** A deep copy of the resolved tree, for provenance. */
    public Map<String, Object> asMap() {
        return deepCopy(root);
    }
}
