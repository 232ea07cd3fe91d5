package io.lac4j.cli.config;

/** Where lac4j looks for each data set unless {@code data.path} / {@code --data} says otherwise. */
public final class DataLocations {
    public static final String FMNIST = "/usr/share/datasets/fashion-mnist";

    private DataLocations() {}

    public static String defaultPath(String dataset) {
        return switch (dataset) {
            case "fmnist", "fashion-mnist" -> System.getenv().getOrDefault("LAC4J_FMNIST_DIR", FMNIST);
            case "cifar10" -> "data/cifar-10-batches-bin";
            case "tiny" -> "data/tiny-imagenet-200";
            default -> dataset;
        };
    }
}
