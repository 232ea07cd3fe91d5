package io.lac4j;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looking a named choice up (an enum constant by its config name) with the one error message every option shares. */
public final class ConfigNames {
    private ConfigNames() {}

    /**
     * The element of {@code choices} called {@code name}.
     *
     * @param source where the name came from, for the message (an option, a config key)
     * @throws InputException {@code "<source>: expected one of [a, b], got '<name>'"} otherwise
     */
    public static <E> E lookup(E[] choices, Function<E, String> nameOf, String name, String source) {
        for (E e : choices) {
            if (nameOf.apply(e).equals(name)) {
                return e;
            }
        }
        throw new InputException(source + ": expected one of "
                + Arrays.stream(choices).map(nameOf).collect(Collectors.joining(", ", "[", "]")) + ", got '" + name + "'");
    }
}
