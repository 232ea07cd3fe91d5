package io.lac4j.pipeline;

import java.nio.file.Path;

/**
 * Which data and backdoor facts: a data set name ({@code fmnist}, {@code cifar10}, {@code tiny})
 * or an image-folder path, an optional root, the trigger name (null: CDA only) and target class.
 * {@code limit} > 0 evaluates only the first {@code limit} test images (quick checks; 0 = all).
 */
public record DataSource(String data, Path root, String trigger, int target, int limit) {
    public DataSource {
        data = data == null ? "fmnist" : data;
        if (target < 0) {
            throw new IllegalArgumentException("target class must be >= 0, got " + target);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    public DataSource(String data, Path root, String trigger, int target) {
        this(data, root, trigger, target, 0);
    }
}
