package io.lac4j.models;

import java.util.List;

/**
 * What {@link CheckpointLoader#load} did, as PyTorch's {@code load_state_dict(strict=False)}
 * would report it: keys the model has but the checkpoint lacks, keys the checkpoint has but the
 * model lacks, and how many tensors were copied.
 */
public record LoadReport(int loaded, List<String> missing, List<String> unexpected) {
    public LoadReport {
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
    }

    public boolean complete() {
        return missing.isEmpty() && unexpected.isEmpty();
    }

    /** One line for logs and results.json. */
    public String describe() {
        if (complete()) {
            return "loaded all " + loaded + " tensors";
        }
        return "loaded " + loaded + " tensors; missing " + abbreviate(missing) + "; unexpected " + abbreviate(unexpected);
    }

    private static String abbreviate(List<String> keys) {
        if (keys.isEmpty()) {
            return "none";
        }
        return keys.size() <= 4 ? keys.toString() : keys.subList(0, 4) + " and " + (keys.size() - 4) + " more";
    }
}
