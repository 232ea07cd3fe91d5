package io.lac4j;

/** A run that failed for a reason other than bad user input (engine, numerics, I/O); exit code 1. */
public class Lac4jException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Lac4jException(String message) {
        super(message);
    }

    public Lac4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
