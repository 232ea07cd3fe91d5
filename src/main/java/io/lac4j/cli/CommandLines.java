package io.lac4j.cli;

import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;

/** How a run was invoked, as a shell line that repeats it (recorded in manifests and reports). */
final class CommandLines {
    private CommandLines() {}

    /** {@code lac4j} followed by the original arguments, each quoted for a POSIX shell when needed. */
    static String of(CommandSpec spec) {
        return "lac4j " + spec.commandLine().getParseResult().originalArgs().stream()
                .map(CommandLines::shellQuote).collect(Collectors.joining(" "));
    }

    static String shellQuote(String a) {
        return a.matches("[A-Za-z0-9_./=,:@+-]+") ? a : "'" + a.replace("'", "'\\''") + "'";
    }
}
