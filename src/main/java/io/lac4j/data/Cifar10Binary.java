package io.lac4j.data;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the CIFAR-10 binary version ({@code cifar-10-batches-bin}): {@code data_batch_1.bin} ...
 * {@code data_batch_5.bin} (train, in that order) and {@code test_batch.bin}. Each record is one
 * label byte followed by 3072 bytes of CHW pixels (1024 red, 1024 green, 1024 blue, row-major),
 * which is already this package's layout. The record order equals torchvision's {@code CIFAR10}.
 */
public final class Cifar10Binary {
    static final int RECORD = 1 + 3 * 32 * 32;
    static final List<String> TRAIN_FILES =
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";

    private Cifar10Binary() {}

    /**
     * The train or test split in {@code dir} (the {@code cifar-10-batches-bin} directory itself).
     */
    public static ImageDataset read(Path dir, boolean train) {
        List<String> names = train ? TRAIN_FILES : List.of(TEST_FILE);
        byte[][] contents = new byte[names.size()][];
        long records = 0;
        for (int f = 0; f < names.size(); f++) {
            Path file = dir.resolve(names.get(f));
            if (!Files.isRegularFile(file)) {
                throw new InputException(file + ": CIFAR-10 batch: expected the binary version (cifar-10-batches-bin), "
                        + "got no such file; set --data / data.path to the directory holding " + names.get(f));
            }
            try {
                contents[f] = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new Lac4jException(file + ": cannot read: " + e.getMessage(), e);
            }
            if (contents[f].length % RECORD != 0 || contents[f].length == 0) {
                throw new InputException(file + ": size: expected a positive multiple of " + RECORD
                        + " bytes (1 label + 3072 pixels per record), got " + contents[f].length);
            }
            records += contents[f].length / RECORD;
        }
        int n = Math.toIntExact(records);
        byte[] pixels = new byte[n * (RECORD - 1)];
        int[] labels = new int[n];
        int k = 0;
        for (int f = 0; f < contents.length; f++) {
            byte[] c = contents[f];
            for (int off = 0; off < c.length; off += RECORD, k++) {
                int label = c[off] & 0xff;
                if (label >= 10) {
                    throw new InputException(dir.resolve(names.get(f)) + ": record " + (off / RECORD)
                            + " label: expected 0..9, got " + label);
                }
                labels[k] = label;
                System.arraycopy(c, off + 1, pixels, k * (RECORD - 1), RECORD - 1);
            }
            contents[f] = null;
        }
        return new InMemoryDataset("cifar10/" + (train ? "train" : "test"), 3, 32, 32, 10, pixels, labels);
    }
}
