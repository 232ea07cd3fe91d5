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
        register(new ResetDistillation(ResetDistillation.Grid.REGRID));
        register(PtqDefense.efrap());
        register(new FineTuning());
        register(new FinePruning());
        register(new QVec());
    }

    public static final String EPOCHS = "--epochs";
    public static final String PRUNE_RATIO = "--prune-ratio";
    public static final String LAMBDA_FLIP = "--lambda-flip";
    public static final String LAMBDA_ROUND = "--lambda-round";
    public static final String WEIGHTING = "--weighting";
    /** The command-line options only some defenses read ({@link Defense#reads()}). */
    public static final List<String> OWN_OPTIONS = List.of(EPOCHS, PRUNE_RATIO, LAMBDA_FLIP, LAMBDA_ROUND, WEIGHTING);

    private Defenses() {}

    /**
     * Refuses an option of {@link #OWN_OPTIONS} that was given ({@code given}: the options on the command line) when
     * none of {@code run}'s defenses reads it: a run would otherwise ignore it without a word.
     */
    public static void checkOptionsRead(List<Defense> run, java.util.Collection<String> given) {
        for (String option : OWN_OPTIONS) {
            if (given.contains(option) && run.stream().noneMatch(d -> d.reads().contains(option))) {
                List<String> readers = BY_NAME.values().stream().filter(d -> d.reads().contains(option)).map(Defense::name).toList();
                String who = run.size() == 1 ? run.get(0).name() + " does not read it"
                        : "none of " + String.join(", ", run.stream().map(Defense::name).toList()) + " reads it";
                throw new InputException(option + ": " + who + "; it applies to " + String.join(", ", readers));
            }
        }
    }

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
