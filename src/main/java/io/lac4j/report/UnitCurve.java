package io.lac4j.report;

/**
 * The reconstruction loss of one unit per iteration (from {@code ptq.UnitReport#losses}), for the
 * report's loss chart. The array is copied in and out: a record must not share mutable state.
 */
public record UnitCurve(String name, float[] losses) {
    public UnitCurve {
        if (name == null || losses == null) {
            throw new IllegalArgumentException("unit curve: expected a name and losses, got " + name + ", " + losses);
        }
        losses = losses.clone();
    }

    @Override
    public float[] losses() {
        return losses.clone();
    }

    public float first() {
        return losses.length == 0 ? Float.NaN : losses[0];
    }

    public float last() {
        return losses.length == 0 ? Float.NaN : losses[losses.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitCurve u && u.name.equals(name) && java.util.Arrays.equals(u.losses, losses);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + java.util.Arrays.hashCode(losses);
    }

    @Override
    public String toString() {
        return "UnitCurve[" + name + ", " + losses.length + " losses]";
    }
}
