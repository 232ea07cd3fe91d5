package io.lac4j.engine;

import io.lac4j.Lac4jException;

/** The native engine cannot be trusted or configured as asked; the message names what and how to fix it. */
public class EngineException extends Lac4jException {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
