package io.lac4j.data;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Decodes PNG/JPEG/BMP/GIF files with {@code javax.imageio} into CHW uint8, converting like PIL's
 * {@code Image.convert("RGB")} (grey replicated, alpha dropped, palette looked up) or {@code
 * convert("L")} (ITU-R 601-2 luma, PIL's integer formula). Samples are read from the raster, never
 * through {@code getRGB}, which would colour-manage grey images. JPEG pixels can differ from
 * libjpeg's by the IDCT implementation (a few levels); PNG is exact.
 */
final class ImageFiles {
    private ImageFiles() {}

    /** A decoded image: CHW bytes of {@code channels x height x width}. */
    record Decoded(int channels, int height, int width, byte[] chw) {}

    static boolean isImageName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
                || n.endsWith(".gif");
    }

    /** Image files directly in {@code dir}, sorted by file name (like Python's {@code sorted}). */
    static List<Path> listImages(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            s.filter(p -> Files.isRegularFile(p) && isImageName(p.getFileName().toString())).forEach(out::add);
            out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            return out;
        } catch (IOException e) {
            throw new Lac4jException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Sub-directories of {@code dir}, sorted by name. */
    static List<Path> listDirs(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            s.filter(Files::isDirectory).forEach(out::add);
            out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            return out;
        } catch (IOException e) {
            throw new Lac4jException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Decodes {@code file} to {@code channels} (1 = L, 3 = RGB) CHW bytes. */
    static Decoded decode(Path file, int channels) {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IOException e) {
            throw new InputException(file + ": image: expected a readable PNG/JPEG, got " + e.getMessage(), e);
        }
        if (img == null) {
            throw new InputException(file + ": image: expected PNG/JPEG/BMP/GIF, got an unknown format");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        int n = h * w;
        int[][] rgb = readRgb(img);
        byte[] out = new byte[channels * n];
        if (channels == 3) {
            for (int c = 0; c < 3; c++) {
                int[] src = rgb[Math.min(c, rgb.length - 1)];
                for (int i = 0; i < n; i++) {
                    out[c * n + i] = (byte) src[i];
                }
            }
        } else if (channels == 1) {
            if (rgb.length == 1) {
                for (int i = 0; i < n; i++) {
                    out[i] = (byte) rgb[0][i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    // PIL's L = R*299/1000 + G*587/1000 + B*114/1000 in 16-bit fixed point, rounded.
                    int l = (rgb[0][i] * 19595 + rgb[1][i] * 38470 + rgb[2][i] * 7471 + 0x8000) >> 16;
                    out[i] = (byte) l;
                }
            }
        } else {
            throw new IllegalArgumentException("channels: expected 1 or 3, got " + channels);
        }
        return new Decoded(channels, h, w, out);
    }

    /** Per-channel planes: one plane for grey, three for colour (alpha dropped). */
    private static int[][] readRgb(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        boolean eightBit = true;
        for (int b = 0; b < r.getNumBands(); b++) {
            eightBit &= r.getSampleModel().getSampleSize(b) == 8;
        }
        int type = cm.getColorSpace().getType();
        if (!(cm instanceof IndexColorModel) && eightBit) {
            if (type == ColorSpace.TYPE_GRAY && r.getNumBands() <= 2) {
                return new int[][] {r.getSamples(0, 0, w, h, 0, (int[]) null)};
            }
            if (type == ColorSpace.TYPE_RGB && r.getNumBands() >= 3) {
                int[][] out = new int[3][];
                for (int c = 0; c < 3; c++) {
                    out[c] = r.getSamples(0, 0, w, h, c, (int[]) null);
                }
                return out;
            }
        }
        // Palette, 16-bit or unusual colour spaces: let Java2D convert to sRGB.
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int[][] out = new int[3][w * h];
        for (int i = 0; i < argb.length; i++) {
            out[0][i] = (argb[i] >> 16) & 0xff;
            out[1][i] = (argb[i] >> 8) & 0xff;
            out[2][i] = argb[i] & 0xff;
        }
        return out;
    }
}
