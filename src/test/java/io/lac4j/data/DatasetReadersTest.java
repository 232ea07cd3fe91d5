package io.lac4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import io.lac4j.testing.Golden;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 binary, Tiny-ImageNet and ImageFolder on the synthetic files of gen_data.py. */
class DatasetReadersTest {
    @Test
    void cifarBinaryRecordsInFileOrder() {
        Golden g = Golden.load("data", "cifar");
        Path dir = Fixtures.resource("cifar-10-batches-bin");
        ImageDataset train = Cifar10Binary.read(dir, true);
        ImageDataset test = Cifar10Binary.read(dir, false);
        assertThat(train.size()).isEqualTo(10);
        assertThat(test.size()).isEqualTo(4);
        assertThat(train.channels()).isEqualTo(3);
        assertThat(train.height()).isEqualTo(32);
        assertThat(train.numClasses()).isEqualTo(10);
        assertThat(Fixtures.labels(train)).containsExactly(g.longs("train_labels"));
        assertThat(Fixtures.allPixels(train)).containsExactly(g.longs("train_pixels"));
        assertThat(Fixtures.labels(test)).containsExactly(g.longs("test_labels"));
        assertThat(Fixtures.allPixels(test)).containsExactly(g.longs("test_pixels"));
    }

    @Test
    void cifarErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Cifar10Binary.read(dir, false)).isInstanceOf(InputException.class)
                .hasMessageContaining(dir.resolve("test_batch.bin").toString()).hasMessageContaining("--data");
        Files.write(dir.resolve("test_batch.bin"), new byte[3074]);
        assertThatThrownBy(() -> Cifar10Binary.read(dir, false)).isInstanceOf(InputException.class)
                .hasMessageContaining("multiple of 3073").hasMessageContaining("got 3074");
        byte[] rec = new byte[3073];
        rec[0] = 12;
        Files.write(dir.resolve("test_batch.bin"), rec);
        assertThatThrownBy(() -> Cifar10Binary.read(dir, false)).isInstanceOf(InputException.class)
                .hasMessageContaining("label: expected 0..9, got 12");
    }

    @Test
    void tinyOrderingAndValAnnotationsRule() {
        Golden g = Golden.load("data", "tiny");
        Path root = Fixtures.resource("tiny-imagenet-200");
        ImageDataset train = TinyImageNet.read(root, true);
        assertThat(train.size()).isEqualTo(12);
        assertThat(train.numClasses()).isEqualTo(3);
        assertThat(train.channels()).isEqualTo(3);
        assertThat(train.height()).isEqualTo(8);
        // classes in sorted wnid order, files sorted lexicographically (_0, _1, _10, _2)
        assertThat(Fixtures.labels(train)).containsExactly(g.longs("train_labels"));
        assertThat(((FileDataset) train).file(2).getFileName().toString()).isEqualTo("n01443537_10.JPEG");
        // PNG decoding is exact; the grey image is replicated to RGB
        assertThat(Fixtures.allPixels(train)).containsExactly(g.longs("train_pixels"));

        ImageDataset val = TinyImageNet.read(root, false);
        assertThat(val.size()).isEqualTo(12);
        // class index = position in the sorted set of wnids of val_annotations.txt (2 here, not 3)
        assertThat(val.numClasses()).isEqualTo(2);
        assertThat(((FileDataset) val).file(2).getFileName().toString()).isEqualTo("val_10.JPEG");
        assertThat(Fixtures.labels(val)).containsExactly(g.longs("val_labels"));
        assertThat(Fixtures.allPixels(val)).containsExactly(g.longs("val_pixels"));

        InMemoryDataset cached = InMemoryDataset.copyOf(val);
        assertThat(cached.name()).isEqualTo("tiny/val");
        assertThat(Fixtures.allPixels(cached)).containsExactly(g.longs("val_pixels"));
        assertThat(Fixtures.labels(cached)).containsExactly(g.longs("val_labels"));
    }

    @Test
    void imageFolderGreyRgbRgba() {
        Golden g = Golden.load("data", "folder");
        DatasetSplits splits = Datasets.open(Fixtures.resource("folder").toString(), null);
        for (String split : new String[] {"train", "test"}) {
            ImageDataset ds = split.equals("train") ? splits.train() : splits.test();
            assertThat(ds.numClasses()).isEqualTo(2);
            assertThat(ds.size()).isEqualTo(4);
            assertThat(Fixtures.labels(ds)).containsExactly(g.longs(split + "_labels"));
            assertThat(Fixtures.allPixels(ds)).containsExactly(g.longs(split + "_pixels"));
        }
    }

    @Test
    void jpegSmokeAndSizeMismatch(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, (200 << 16) | (100 << 8) | 30);       // flat colour survives JPEG well
            }
        }
        ImageIO.write(img, "jpg", dir.resolve("a/x.jpg").toFile());
        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(3, 4, 0, 77);
        ImageIO.write(grey, "png", dir.resolve("b/y.png").toFile());
        ImageDataset ds = ImageFolder.read(dir);
        assertThat(ds.size()).isEqualTo(2);
        byte[] px = ds.pixels(0);
        assertThat(px[0] & 0xff).isBetween(195, 205);
        assertThat(px[256] & 0xff).isBetween(95, 105);
        assertThat(px[512] & 0xff).isBetween(25, 35);
        byte[] g = ds.pixels(1);
        assertThat(g[4 * 16 + 3] & 0xff).isEqualTo(77);             // grey read from the raster, not colour-managed
        assertThat(g[256 + 4 * 16 + 3] & 0xff).isEqualTo(77);

        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", dir.resolve("b/z.png").toFile());
        ImageDataset mixed = ImageFolder.read(dir);
        assertThatThrownBy(() -> mixed.pixels(2)).isInstanceOf(InputException.class)
                .hasMessageContaining("z.png: image size: expected 16x16").hasMessageContaining("got 8x8");
    }

    @Test
    void datasetsOpenResolvesNamesAndParents() {
        DatasetSplits cifar = Datasets.open("cifar10", Fixtures.resource("cifar-10-batches-bin").getParent());
        assertThat(cifar.test().size()).isEqualTo(4);
        assertThat(cifar.normalization()).isEqualTo(Normalization.CIFAR10);
        DatasetSplits tiny = Datasets.open("tiny", Fixtures.resource("tiny-imagenet-200"));
        assertThat(tiny.train().size()).isEqualTo(12);
        assertThat(tiny.normalization()).isEqualTo(Normalization.TINY);
    }

    @Test
    void datasetsOpenErrorsNameThePathAndTheFlag(@TempDir Path dir) {
        assertThatThrownBy(() -> Datasets.open("cifar10", dir)).isInstanceOf(InputException.class)
                .hasMessageContaining(dir.resolve("test_batch.bin").toString())
                .hasMessageContaining("--data / data.path");
        assertThatThrownBy(() -> Datasets.open("tiny", dir)).isInstanceOf(InputException.class)
                .hasMessageContaining("tiny-imagenet-200").hasMessageContaining("--data");
        assertThatThrownBy(() -> Datasets.open("no-such-dataset", dir)).isInstanceOf(InputException.class)
                .hasMessageContaining(dir.resolve("no-such-dataset").toString())
                .hasMessageContaining("fmnist, fashion-mnist, cifar10, tiny");
    }
}
