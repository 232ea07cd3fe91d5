package io.lac4j.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-1 class of every image one evaluation forwarded, per view ({@code clean}, {@code
 * triggered}, {@code no_target}), so two runs of the same model — lac4j's engine and a deployment
 * runtime — can be compared image by image, not only by their rates. Ties go to the lower class
 * index, as in {@link BackdoorEvaluator}.
 */
public final class Predictions {
    private final Map<String, int[]> views = new LinkedHashMap<>();

    int[] view(String name, int size) {
        return views.computeIfAbsent(name, k -> new int[size]);
    }

    public boolean isEmpty() {
        return views.isEmpty();
    }

    /** Images per view. */
    public Map<String, Integer> sizes() {
        Map<String, Integer> s = new LinkedHashMap<>();
        views.forEach((k, v) -> s.put(k, v.length));
        return Collections.unmodifiableMap(s);
    }

    /**
     * Per view, how many images the two runs classify differently.
     *
     * @throws IllegalArgumentException when the two did not forward the same views and image counts
     */
    public Map<String, Integer> disagreements(Predictions other) {
        if (!sizes().equals(other.sizes())) {
            throw new IllegalArgumentException("predictions of different image sets: " + sizes() + " vs " + other.sizes());
        }
        Map<String, Integer> d = new LinkedHashMap<>();
        views.forEach((k, a) -> {
            int[] b = other.views.get(k);
            int n = 0;
            for (int i = 0; i < a.length; i++) {
                n += a[i] == b[i] ? 0 : 1;
            }
            d.put(k, n);
        });
        return Collections.unmodifiableMap(d);
    }

    /** The top-1 class of one row of logits; ties to the lower index. */
    /** The top-1 class of the {@code k} logits at {@code off}; ties go to the lower class. */
    public static int top1(float[] logits, int off, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (logits[off + j] > logits[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
