package io.lac4j.data;

import io.lac4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Resolves a dataset spec ({@code --data} / {@code data.path} plus a dataset name) to its splits.
 *
 * <table>
 *   <caption>specs</caption>
 *   <tr><th>spec</th><th>root (or default)</th><th>normalisation</th></tr>
 *   <tr><td>{@code fmnist}, {@code fashion-mnist}</td><td>the IDX directory,
 *       default {@value #FMNIST_DEFAULT}</td><td>0.2860 / 0.3530</td></tr>
 *   <tr><td>{@code cifar10}</td><td>{@code cifar-10-batches-bin} or its parent,
 *       default {@value #CIFAR_DEFAULT}</td><td>CIFAR-10</td></tr>
 *   <tr><td>{@code tiny}</td><td>{@code tiny-imagenet-200} or its parent,
 *       default {@value #TINY_DEFAULT}</td><td>Tiny-ImageNet</td></tr>
 *   <tr><td>a directory</td><td>{@code <dir>/train} and {@code <dir>/test} (or {@code val})
 *       class folders, or {@code <dir>} itself for both</td><td>identity (override)</td></tr>
 * </table>
 */
public final class Datasets {
    public static final String FMNIST_DEFAULT = "/usr/share/datasets/fashion-mnist";
    public static final String CIFAR_DEFAULT = "data/cifar-10-batches-bin";
    public static final String TINY_DEFAULT = "data/tiny-imagenet-200";

    private Datasets() {}

    /**
     * Opens a dataset.
     *
     * @param spec {@code fmnist|fashion-mnist|cifar10|tiny} or a directory path
     * @param root where the named dataset lives; {@code null} for its default
     * @throws InputException naming the path looked for and the flag to change it
     */
    public static DatasetSplits open(String spec, Path root) {
        switch (spec.toLowerCase(Locale.ROOT)) {
            case "fmnist", "fashion-mnist", "fashionmnist": {
                Path dir = root != null ? root : Path.of(FMNIST_DEFAULT);
                FashionMnistIdx.find(dir, "t10k-images-idx3-ubyte");
                return new DatasetSplits("fashion-mnist", () -> FashionMnistIdx.read(dir, true),
                        () -> FashionMnistIdx.read(dir, false), Normalization.FASHION_MNIST);
            }
            case "cifar10", "cifar-10", "cifar": {
                Path dir = locate(root != null ? root : Path.of(CIFAR_DEFAULT), "cifar-10-batches-bin",
                        Cifar10Binary.TEST_FILE, "CIFAR-10 binary version");
                return new DatasetSplits("cifar10", () -> Cifar10Binary.read(dir, true),
                        () -> Cifar10Binary.read(dir, false), Normalization.CIFAR10);
            }
            case "tiny", "tiny-imagenet", "tinyimagenet": {
                Path dir = locate(root != null ? root : Path.of(TINY_DEFAULT), "tiny-imagenet-200", "val",
                        "Tiny-ImageNet-200");
                return new DatasetSplits("tiny", () -> TinyImageNet.read(dir, true),
                        () -> TinyImageNet.read(dir, false), Normalization.TINY);
            }
            default:
                return openFolder(root != null ? root.resolve(spec) : Path.of(spec), spec);
        }
    }

    private static Path locate(Path given, String subdir, String marker, String what) {
        if (Files.exists(given.resolve(marker))) {
            return given;
        }
        if (Files.exists(given.resolve(subdir).resolve(marker))) {
            return given.resolve(subdir);
        }
        throw new InputException(given + ": " + what + ": expected " + given.resolve(marker) + " (or "
                + given.resolve(subdir).resolve(marker) + "), got no such file; set --data / data.path to the "
                + subdir + " directory");
    }

    private static DatasetSplits openFolder(Path dir, String spec) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": dataset: expected one of [fmnist, fashion-mnist, cifar10, tiny] or an "
                    + "image-folder directory, got '" + spec + "' (no such directory); set --data / data.path");
        }
        Path train = Files.isDirectory(dir.resolve("train")) ? dir.resolve("train") : dir;
        Path test = Files.isDirectory(dir.resolve("test")) ? dir.resolve("test")
                : Files.isDirectory(dir.resolve("val")) ? dir.resolve("val") : train;
        String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        DatasetSplits lazy = new DatasetSplits(name, () -> ImageFolder.read(train, 3, name + "/train"),
                () -> ImageFolder.read(test, 3, name + "/test"), Normalization.identity(3));
        return lazy;
    }
}
