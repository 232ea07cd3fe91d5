package io.lac4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A trigger given on the command line rather than by name, written on the [0,1] image before Normalize:
 *
 * <ul>
 *   <li>{@code patch:size=S,x=X,y=Y,pattern=P} — an S×S square whose top-left pixel is column X, row Y
 *       (0-based; a negative X or Y counts from the right or bottom edge, −1 putting the patch against it);</li>
 *   <li>{@code blend:alpha=A,pattern=P} — the whole image mixed with a pattern: {@code (1 − A)·x + A·p}.</li>
 * </ul>
 *
 * Patterns: {@code white} (1.0), {@code black} (0.0), {@code checker} (1 where row + column is even, else
 * 0), {@code random} (uniform [0,1] per pixel and channel from {@code seed=N}, default 0) or
 * {@code png:FILE} (an 8-bit PNG of exactly the patch's size — the image's for blend; grey images are used
 * on every channel, RGB on 1-channel data as the mean of its channels).
 */
final class TriggerSpec {
    enum Kind { PATCH, BLEND }

    private final Kind kind;
    private final int size;
    private final int x;
    private final int y;
    private final double alpha;
    private final String pattern;
    private final long seed;
    private final BufferedImage png;
    private final String canonical;

    private TriggerSpec(Kind kind, int size, int x, int y, double alpha, String pattern, long seed, BufferedImage png,
                        String canonical) {
        this.kind = kind;
        this.size = size;
        this.x = x;
        this.y = y;
        this.alpha = alpha;
        this.pattern = pattern;
        this.seed = seed;
        this.png = png;
        this.canonical = canonical;
    }

    /** Whether {@code text} is a spec rather than a trigger name. */
    static boolean isSpec(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.startsWith("patch:") || t.startsWith("blend:");
    }

    static TriggerSpec parse(String text) {
        int colon = text.indexOf(':');
        String head = text.substring(0, colon).toLowerCase(Locale.ROOT);
        Kind kind = head.equals("patch") ? Kind.PATCH : Kind.BLEND;
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : text.substring(colon + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw bad(text, "key=value pairs separated by commas, got '" + part + "'");
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (kv.put(key, part.substring(eq + 1).trim()) != null) {
                throw bad(text, "each key once, got '" + key + "' twice");
            }
        }
        java.util.Set<String> allowed = kind == Kind.PATCH ? java.util.Set.of("size", "x", "y", "pattern", "seed")
                : java.util.Set.of("alpha", "pattern", "seed");
        for (String k : kv.keySet()) {
            if (!allowed.contains(k)) {
                throw bad(text, "keys " + new java.util.TreeSet<>(allowed) + " for " + head + ", got '" + k + "'");
            }
        }
        String pattern = kv.getOrDefault("pattern", "white");
        long seed = kv.containsKey("seed") ? integer(text, "seed", kv.get("seed")) : 0;
        BufferedImage png = null;
        if (pattern.toLowerCase(Locale.ROOT).startsWith("png:")) {
            Path file = Path.of(pattern.substring(4));
            png = readPng(text, file);
            pattern = "png:" + file;
        } else {
            pattern = pattern.toLowerCase(Locale.ROOT);
            if (!java.util.List.of("white", "black", "checker", "random").contains(pattern)) {
                throw bad(text, "pattern white, black, checker, random or png:FILE, got '" + pattern + "'");
            }
        }
        String tail = ",pattern=" + pattern + (kv.containsKey("seed") || pattern.equals("random") ? ",seed=" + seed : "");
        if (kind == Kind.PATCH) {
            for (String k : new String[] {"size", "x", "y"}) {
                if (!kv.containsKey(k)) {
                    throw bad(text, "size=, x= and y= for a patch; '" + k + "' is missing");
                }
            }
            int size = integer(text, "size", kv.get("size"));
            if (size <= 0) {
                throw bad(text, "size > 0, got " + size);
            }
            int x = integer(text, "x", kv.get("x"));
            int y = integer(text, "y", kv.get("y"));
            if (png != null && (png.getWidth() != size || png.getHeight() != size)) {
                throw bad(text, "a " + size + "x" + size + " PNG for a size-" + size + " patch, got " + png.getWidth() + "x"
                        + png.getHeight());
            }
            return new TriggerSpec(kind, size, x, y, 0, pattern, seed, png,
                    "patch:size=" + size + ",x=" + x + ",y=" + y + tail);
        }
        if (!kv.containsKey("alpha")) {
            throw bad(text, "alpha= for a blend");
        }
        double alpha;
        try {
            alpha = Double.parseDouble(kv.get("alpha"));
        } catch (NumberFormatException e) {
            throw bad(text, "alpha a number in (0, 1], got '" + kv.get("alpha") + "'");
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw bad(text, "alpha in (0, 1], got " + alpha);
        }
        return new TriggerSpec(kind, 0, 0, 0, alpha, pattern, seed, png, "blend:alpha=" + alpha + tail);
    }

    String canonical() {
        return canonical;
    }

    /** Writes the trigger into a [0,1] image in place. */
    void stamp(FloatImage img) {
        int h = img.height();
        int w = img.width();
        float[] d = img.data();
        if (kind == Kind.BLEND) {
            if (png != null && (png.getWidth() != w || png.getHeight() != h)) {
                throw new IllegalArgumentException("trigger " + canonical + ": the PNG is " + png.getWidth() + "x" + png.getHeight()
                        + ", the images are " + w + "x" + h);
            }
            float[] p = values(img.channels(), h, w);
            float a = (float) alpha;
            for (int i = 0; i < d.length; i++) {
                d[i] = (1 - a) * d[i] + a * p[i];
            }
            return;
        }
        int x0 = x < 0 ? w + x - size + 1 : x;
        int y0 = y < 0 ? h + y - size + 1 : y;
        if (x0 < 0 || y0 < 0 || x0 + size > w || y0 + size > h) {
            throw new IllegalArgumentException("trigger " + canonical + ": the patch (columns " + x0 + ".." + (x0 + size - 1)
                    + ", rows " + y0 + ".." + (y0 + size - 1) + ") does not fit a " + w + "x" + h + " image");
        }
        float[] p = values(img.channels(), size, size);
        for (int c = 0; c < img.channels(); c++) {
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    d[img.index(c, y0 + i, x0 + j)] = p[(c * size + i) * size + j];
                }
            }
        }
    }

    /** The pattern's values, {@code C·H·W}. */
    private float[] values(int channels, int h, int w) {
        float[] v = new float[channels * h * w];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    v[(c * h + i) * w + j] = switch (pattern) {
                        case "white" -> 1f;
                        case "black" -> 0f;
                        case "checker" -> (i + j) % 2 == 0 ? 1f : 0f;
                        case "random" -> (float) rng.nextDouble();
                        default -> pngValue(c, channels, i, j);
                    };
                }
            }
        }
        return v;
    }

    private float pngValue(int c, int channels, int row, int col) {
        if (png.getColorModel() instanceof java.awt.image.IndexColorModel) {   // palette: the colours it stands for
            int rgb = png.getRGB(col, row);
            float[] v = {((rgb >> 16) & 0xff) / 255f, ((rgb >> 8) & 0xff) / 255f, (rgb & 0xff) / 255f};
            return channels == 1 ? (v[0] + v[1] + v[2]) / 3f : v[c];
        }
        // raster samples, not getRGB: getRGB would convert a grey PNG through a gamma curve
        java.awt.image.Raster r = png.getRaster();
        float max = (1 << png.getColorModel().getComponentSize(0)) - 1;
        int colours = png.getColorModel().getNumColorComponents();
        if (colours == 1) {
            return r.getSample(col, row, 0) / max;
        }
        if (channels == 1) {
            return (r.getSample(col, row, 0) + r.getSample(col, row, 1) + r.getSample(col, row, 2)) / 3f / max;
        }
        return r.getSample(col, row, c) / max;
    }

    private static BufferedImage readPng(String text, Path file) {
        if (!Files.isRegularFile(file)) {
            throw bad(text, "an existing PNG file, " + file + " not found");
        }
        try {
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) {
                throw bad(text, "a PNG image, " + file + " is not one");
            }
            return img;
        } catch (IOException e) {
            throw bad(text, "a readable PNG, " + file + ": " + e.getMessage());
        }
    }

    private static int integer(String text, String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw bad(text, key + " an integer, got '" + v + "'");
        }
    }

    private static IllegalArgumentException bad(String text, String expected) {
        return new IllegalArgumentException("trigger '" + text + "': expected " + expected);
    }
}
