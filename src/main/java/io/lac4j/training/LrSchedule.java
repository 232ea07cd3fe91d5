package io.lac4j.training;

import java.util.List;

/**
 * Learning rate per epoch, stepped once per epoch as PyTorch's schedulers are in the attack
 * scripts: {@code constant}; {@code step} = {@code MultiStepLR(milestones, gamma)}; {@code cosine}
 * = {@code CosineAnnealingLR(T_max = epochs, eta_min = 0)}.
 */
public record LrSchedule(Kind kind, List<Integer> milestones, double gamma) {
    public enum Kind {
        CONSTANT,
        STEP,
        COSINE
    }

    public static final LrSchedule CONSTANT = new LrSchedule(Kind.CONSTANT, List.of(), 1.0);

    public LrSchedule {
        milestones = List.copyOf(milestones);
        if (gamma <= 0) {
            throw new IllegalArgumentException("lr schedule gamma: expected > 0, got " + gamma);
        }
    }

    public static LrSchedule cosine() {
        return new LrSchedule(Kind.COSINE, List.of(), 1.0);
    }

    public static LrSchedule step(List<Integer> milestones, double gamma) {
        return new LrSchedule(Kind.STEP, milestones, gamma);
    }

    /** Parses {@code constant}, {@code cosine} or {@code step:20,30[:0.1]}. */
    public static LrSchedule parse(String s, String where) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("constant") || t.equals("none")) {
            return CONSTANT;
        }
        if (t.equals("cosine")) {
            return cosine();
        }
        if (t.startsWith("step:")) {
            String[] parts = t.substring(5).split(":");
            try {
                List<Integer> ms = java.util.Arrays.stream(parts[0].split(",")).map(String::trim)
                        .map(Integer::parseInt).toList();
                double g = parts.length > 1 ? Double.parseDouble(parts[1]) : 0.1;
                return step(ms, g);
            } catch (NumberFormatException e) {
                throw new io.lac4j.InputException(where + ": expected step:M1,M2[:GAMMA], got '" + s + "'");
            }
        }
        throw new io.lac4j.InputException(where + ": expected one of [constant, cosine, step:M1,M2[:GAMMA]], got '" + s + "'");
    }

    /** The learning rate during epoch {@code epoch} (0-based) of {@code epochs}. */
    public double lr(double base, int epoch, int epochs) {
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> {
                int passed = (int) milestones.stream().filter(m -> m <= epoch).count();
                yield base * Math.pow(gamma, passed);
            }
            case COSINE -> base * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CONSTANT -> "constant";
            case COSINE -> "cosine";
            case STEP -> "step:" + milestones.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")
                    + ":" + gamma;
        };
    }
}
