package io.lac4j.engine;

/**
 * How long loops report progress without printing: library code calls it, the CLI draws a bar
 * (or periodic lines when stderr is not a terminal). Implementations must be cheap.
 */
@FunctionalInterface
public interface Progress {
    Progress NONE = (task, done, total, detail) -> {};

    /**
     * @param task what is running, e.g. {@code eval fp/clean} or {@code unit layer1.0.conv1}
     * @param done steps finished so far (1-based after the first step)
     * @param total steps in all, or -1 if unknown
     * @param detail short free text (loss, accuracy so far), may be empty
     */
    void step(String task, long done, long total, String detail);
}
