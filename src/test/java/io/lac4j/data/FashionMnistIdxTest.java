package io.lac4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lac4j.InputException;
import io.lac4j.testing.Golden;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistIdxTest {
    private static final Path INSTALLED = Path.of(Datasets.FMNIST_DEFAULT);

    @Test
    void readsInstalledDatasetLikeNumpy() {
        assumeTrue(Files.isRegularFile(INSTALLED.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST not installed (Debian package dataset-fashion-mnist)");
        Golden g = Golden.load("data", "fmnist");
        for (String split : new String[] {"train", "test"}) {
            ImageDataset ds = FashionMnistIdx.read(INSTALLED, split.equals("train"));
            long[] shape = g.longs(split + "_shape");
            assertThat(new long[] {ds.size(), ds.height(), ds.width()}).containsExactly(shape);
            assertThat(ds.size()).isEqualTo(split.equals("train") ? 60_000 : 10_000);
            assertThat(ds.channels()).isEqualTo(1);
            assertThat(ds.numClasses()).isEqualTo(10);
            assertThat(ds.name()).isEqualTo("fashion-mnist/" + split);
            long[] first = g.longs(split + "_labels_first");
            for (int i = 0; i < first.length; i++) {
                assertThat((long) ds.label(i)).as("label %d", i).isEqualTo(first[i]);
            }
            long[] counts = new long[10];
            long sum = 0;
            long checksum = 0;
            byte[] img = new byte[784];
            for (int i = 0; i < ds.size(); i++) {
                counts[ds.label(i)]++;
                ds.pixels(i, img, 0);
                for (int k = 0; k < img.length; k++) {
                    long v = img[k] & 0xff;
                    long flat = (long) i * 784 + k;
                    sum += v;
                    checksum += v * (flat % 65521 + 1);
                }
            }
            assertThat(counts).containsExactly(g.longs(split + "_label_counts"));
            assertThat(sum).isEqualTo(g.longs(split + "_pixel_sum")[0]);
            assertThat(checksum).isEqualTo(g.longs(split + "_checksum")[0]);
            assertThat(Fixtures.pixels(ds, 0)).containsExactly(g.longs(split + "_image0"));
            assertThat(Fixtures.pixels(ds, ds.size() - 1)).containsExactly(g.longs(split + "_image_last"));
        }
    }

    private static byte[] idx(int magic, int[] dims, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(body);
        return b.array();
    }

    @Test
    void readsUncompressedFilesAndValidates(@TempDir Path dir) throws IOException {
        byte[] px = new byte[2 * 3 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 10);
        }
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(0x803, new int[] {2, 3, 4}, px));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(0x801, new int[] {2}, new byte[] {9, 0}));
        ImageDataset ds = FashionMnistIdx.read(dir, false);
        assertThat(ds.size()).isEqualTo(2);
        assertThat(ds.height()).isEqualTo(3);
        assertThat(ds.width()).isEqualTo(4);
        assertThat(ds.label(0)).isEqualTo(9);
        assertThat(ds.pixels(1)[0] & 0xff).isEqualTo(120);

        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(0x801, new int[] {3}, new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> FashionMnistIdx.read(dir, false)).isInstanceOf(InputException.class)
                .hasMessageContaining("label count: expected 2").hasMessageContaining("got 3");

        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(0x803, new int[] {2}, new byte[] {1, 2}));
        assertThatThrownBy(() -> FashionMnistIdx.read(dir, false)).isInstanceOf(InputException.class)
                .hasMessageContaining("magic: expected 0x00000801").hasMessageContaining("got 0x00000803");

        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(0x803, new int[] {2, 3, 4}, new byte[5]));
        assertThatThrownBy(() -> FashionMnistIdx.read(dir, false)).isInstanceOf(InputException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void missingFilesNameThePathAndTheFlag(@TempDir Path dir) {
        assertThatThrownBy(() -> Datasets.open("fmnist", dir)).isInstanceOf(InputException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("t10k-images-idx3-ubyte")
                .hasMessageContaining("--data");
    }
}
