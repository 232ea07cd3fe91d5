package io.lac4j.pipeline;

import io.lac4j.Lac4jException;
import io.lac4j.io.AtomicFile;
import io.lac4j.scan.RecoveredTrigger;
import io.lac4j.scan.ScanResult;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;

/** The recovered patterns as PNG (mask × pattern, scaled up 8× with nearest-neighbour pixels). */
final class ScanImages {
    private static final int SCALE = 8;

    private ScanImages() {}

    /** Writes the suspect pattern; returns role → file name. */
    static Map<String, String> write(ScanResult r, Path dir) {
        Map<String, String> out = new LinkedHashMap<>();
        RecoveredTrigger s = r.suspect();
        String name = "scan_trigger_class" + s.targetClass() + ".png";
        try {
            AtomicFile.write(dir.resolve(name), png(s));
        } catch (IOException e) {
            throw new Lac4jException(dir.resolve(name) + ": cannot write the recovered trigger: " + e.getMessage(), e);
        }
        out.put("suspect", name);
        return out;
    }

    static byte[] png(RecoveredTrigger t) {
        float[] v = t.visible();
        int h = t.height();
        int w = t.width();
        BufferedImage img = new BufferedImage(w * SCALE, h * SCALE, BufferedImage.TYPE_INT_RGB);
        int hw = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int r = level(v[i]);
                int g = t.channels() == 3 ? level(v[hw + i]) : r;
                int b = t.channels() == 3 ? level(v[2 * hw + i]) : r;
                int rgb = (r << 16) | (g << 8) | b;
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        img.setRGB(x * SCALE + dx, y * SCALE + dy, rgb);
                    }
                }
            }
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new Lac4jException("scan: cannot encode the recovered trigger as PNG: " + e.getMessage(), e);
        }
    }

    private static int level(float f) {
        return Math.max(0, Math.min(255, Math.round(f * 255)));
    }
}
