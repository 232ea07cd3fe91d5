package io.lac4j.cli;

import io.lac4j.InputException;
import picocli.CommandLine;

/** 0 success, 1 the run failed, 2 bad usage or input — picocli's OK / SOFTWARE / USAGE. */
public final class ExitCodes {
    public static final int OK = CommandLine.ExitCode.OK;
    public static final int FAILED = CommandLine.ExitCode.SOFTWARE;
    public static final int BAD_INPUT = CommandLine.ExitCode.USAGE;

    private ExitCodes() {}

    static int of(Throwable t) {
        // picocli hands its own parse errors (unknown option, bad value) to this mapper too: bad usage.
        return t instanceof InputException || t instanceof CommandLine.ParameterException ? BAD_INPUT : FAILED;
    }

    /** Prints a user error as one line (no stack trace unless -x/--stacktrace or LAC4J_STACKTRACE). */
    static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean trace =
                System.getenv("LAC4J_STACKTRACE") != null
                        || (parsed != null && (parsed.hasMatchedOption("-x") || parsed.hasMatchedOption("--stacktrace")));
        String prefix = ex instanceof InputException ? "error: " : "failed: ";
        cl.getErr().println(prefix + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
        if (trace || !(ex instanceof io.lac4j.Lac4jException)) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return of(ex);
    }
}
