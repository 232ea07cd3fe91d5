package io.lac4j.cli.config;

import io.lac4j.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hydra-style command-line overrides: {@code key=value} replaces an existing key (struct mode:
 * an unknown key is an error that suggests {@code +key=value}), {@code +key=value} adds one,
 * {@code ~key} deletes one. Values are parsed like Hydra's grammar: booleans (any case), null,
 * integers, floats ({@code 1e-3}, {@code inf}), lists {@code [20,2]}, quoted or bare strings.
 */
public final class Overrides {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_\\-]*(\\.[A-Za-z0-9_\\-]+)*");
    public static final String SOURCE = "command line";

    private Overrides() {}

    /** One parsed override. */
    public record Override(String key, Object value, Kind kind, String text) {}

    public enum Kind { SET, ADD, DELETE }

    public static List<Override> parse(List<String> args) {
        List<Override> out = new ArrayList<>();
        for (String a : args) {
            out.add(parseOne(a));
        }
        return out;
    }

    static Override parseOne(String arg) {
        if (arg.startsWith("~")) {
            String key = arg.substring(1).split("=", 2)[0];
            checkKey(key, arg);
            return new Override(key, null, Kind.DELETE, arg);
        }
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            throw new InputException("override '" + arg + "': expected key=value (e.g. pda=True), got no '='");
        }
        Kind kind = Kind.SET;
        String key = arg.substring(0, eq);
        if (key.startsWith("+")) {
            kind = Kind.ADD;
            key = key.substring(1);
        }
        checkKey(key, arg);
        return new Override(key, parseValue(arg.substring(eq + 1)), kind, arg);
    }

    private static void checkKey(String key, String arg) {
        if (!KEY.matcher(key).matches()) {
            throw new InputException("override '" + arg + "': expected a dotted key like quantize.reconstruction.max_count, got '" + key + "'");
        }
    }

    /** Hydra's value grammar, the subset configs use. */
    public static Object parseValue(String raw) {
        String s = raw.trim();
        if (s.isEmpty()) {
            return "";
        }
        if ((s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\"")) && s.length() >= 2) {
            return s.substring(1, s.length() - 1);
        }
        String lower = s.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                break;
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            List<Object> items = new ArrayList<>();
            String inner = s.substring(1, s.length() - 1).trim();
            if (!inner.isEmpty()) {
                for (String part : inner.split(",")) {
                    items.add(parseValue(part));
                }
            }
            return items;
        }
        if (s.startsWith("{") && s.endsWith("}")) {
            Map<String, Object> m = new LinkedHashMap<>();
            String inner = s.substring(1, s.length() - 1).trim();
            if (!inner.isEmpty()) {
                for (String part : inner.split(",")) {
                    String[] kv = part.split(":", 2);
                    if (kv.length != 2) {
                        throw new InputException("override value '" + raw + "': expected {key: value, ...}");
                    }
                    m.put(kv[0].trim(), parseValue(kv[1]));
                }
            }
            return m;
        }
        if (s.matches("[+-]?\\d+")) {
            long v = Long.parseLong(s);
            return v == (int) v ? (Object) (int) v : (Object) v;
        }
        if (s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return Double.valueOf(s);
        }
        return s;
    }

    /** Applies overrides in order; struct mode as in Hydra. */
    public static void apply(ConfigTree tree, List<Override> overrides) {
        for (Override o : overrides) {
            switch (o.kind()) {
                case SET -> {
                    if (!tree.has(o.key())) {
                        throw new InputException("override '" + o.text() + "': key '" + o.key()
                                + "' is not in the config; use +" + o.key() + "=... to add a new key");
                    }
                    tree.set(o.key(), o.value(), SOURCE);
                }
                case ADD -> tree.set(o.key(), o.value(), SOURCE); // lenient: lac4j keys exist by default
                case DELETE -> {
                    if (!tree.remove(o.key())) {
                        throw new InputException("override '" + o.text() + "': key '" + o.key() + "' is not in the config");
                    }
                }
                default -> throw new IllegalStateException(o.kind().toString());
            }
        }
    }
}
