package io.lac4j;

/**
 * Bad user input: a file, key, shape or value that is not what lac4j expects; exit code 2.
 *
 * <p>Messages follow {@code <file>: <key|tensor|offset>: expected <X>, got <Y>[; hint]}.
 */
public class InputException extends Lac4jException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
