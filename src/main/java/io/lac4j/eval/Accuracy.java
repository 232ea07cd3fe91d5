package io.lac4j.eval;

/**
 * Top-1/top-5 accuracy over a set, in percent (0–100), and the image count it was computed on.
 * Ties among equal logits rank the lower class index first (LAC.md §10.1).
 */
public record Accuracy(double top1, double top5, long n) {
    public Accuracy {
        if (n < 0 || top1 < 0 || top1 > 100 || top5 < 0 || top5 > 100) {
            throw new IllegalArgumentException("accuracy out of range: top1 " + top1 + ", top5 " + top5 + ", n " + n);
        }
    }

    public static Accuracy of(long correct1, long correct5, long n) {
        return n == 0 ? new Accuracy(0, 0, 0) : new Accuracy(100.0 * correct1 / n, 100.0 * correct5 / n, n);
    }
}
