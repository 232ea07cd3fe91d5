package io.lac4j.defense;

import io.lac4j.InputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The defenses lac4j knows, by config name, in the order {@code --help} and the docs list them. */
public final class Defenses {
    private static final Map<String, Defense> BY_NAME = new LinkedHashMap<>();

    static {
        register(PtqDefense.naive());
        register(PtqDefense.minMax());
        register(PtqDefense.adaRound());
        register(PtqDefense.lac());
        register(PtqDefense.lacPda());
        register(PtqDefense.lacAct());
        register(new InvertedTriggerLac());
        register(new QuantAwareDistillation());
        register(new ResetDistillation());
        register(PtqDefense.efrap());
        register(new FineTuning());
        register(new FinePruning());
        register(new QVec());
    }

    private Defenses() {}

    private static void register(Defense d) {
        if (BY_NAME.putIfAbsent(d.name(), d) != null) {
            throw new IllegalStateException("two defenses are called " + d.name());
        }
    }

    /**
     * The defense called {@code name}.
     *
     * @param source where the name came from, for the message (an option, a config key)
     */
    public static Defense byName(String name, String source) {
        Defense d = BY_NAME.get(name);
        if (d == null) {
            throw new InputException(source + ": expected one of [" + String.join(", ", BY_NAME.keySet()) + "], got '" + name + "'");
        }
        return d;
    }

    /** Every registered defense, in registration order. */
    public static List<Defense> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** Their names, comma-separated, for help texts. */
    public static String names() {
        return String.join(", ", BY_NAME.keySet());
    }
}
