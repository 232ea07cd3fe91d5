package io.lac4j.data;

import io.lac4j.InputException;
import io.lac4j.Lac4jException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads Tiny-ImageNet-200 from its release layout (LAC.md §3.1), decoding images on demand and
 * converting them to RGB.
 *
 * <ul>
 *   <li>train: {@code train/<wnid>/images/*.JPEG}; class index = position of the wnid in the
 *       sorted list of {@code train/} sub-directories; files sorted by name within a class, classes
 *       in order, so the first 5 % (5 000 images) are classes 0–9 (Q12).
 *   <li>test = {@code val}: {@code val/images/*} sorted lexicographically by file name ({@code
 *       val_0, val_1, val_10, ...}); label from {@code val/val_annotations.txt} (file name, tab,
 *       wnid, ...), class index = position of the wnid in the <em>sorted set of wnids appearing in
 *       that file</em>.
 * </ul>
 */
public final class TinyImageNet {
    private TinyImageNet() {}

    /** The train split or the val split (used as test) under {@code root}. */
    public static ImageDataset read(Path root, boolean train) {
        return train ? readTrain(root) : readVal(root);
    }

    private static ImageDataset readTrain(Path root) {
        Path dir = root.resolve("train");
        requireDir(dir);
        List<Path> classes = ImageFiles.listDirs(dir);
        if (classes.isEmpty()) {
            throw new InputException(dir + ": classes: expected train/<wnid>/images/ sub-directories, got none");
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path images = classes.get(c).resolve("images");
            if (!Files.isDirectory(images)) {
                throw new InputException(images + ": class directory: expected <wnid>/images/ with the class's "
                        + "images, got no such directory");
            }
            for (Path f : ImageFiles.listImages(images)) {
                files.add(f);
                labels.add(c);
            }
        }
        return new FileDataset("tiny/train", files, toArray(labels), classes.size(), 3);
    }

    private static ImageDataset readVal(Path root) {
        Path dir = root.resolve("val");
        requireDir(dir);
        Path ann = dir.resolve("val_annotations.txt");
        if (!Files.isRegularFile(ann)) {
            throw new InputException(ann + ": annotations: expected val/val_annotations.txt, got no such file");
        }
        Map<String, String> wnidOf = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(ann, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Lac4jException(ann + ": cannot read: " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\t");
            if (parts.length < 2) {
                throw new InputException(ann + ": line " + (i + 1) + ": expected '<file>\\t<wnid>[\\t...]', got '"
                        + line + "'");
            }
            wnidOf.put(parts[0], parts[1]);
        }
        List<String> wnids = new ArrayList<>(new TreeSet<>(wnidOf.values()));
        Map<String, Integer> classOf = new HashMap<>();
        for (int c = 0; c < wnids.size(); c++) {
            classOf.put(wnids.get(c), c);
        }
        Path images = dir.resolve("images");
        requireDir(images);
        List<Path> files = ImageFiles.listImages(images);
        int[] labels = new int[files.size()];
        for (int i = 0; i < labels.length; i++) {
            String name = files.get(i).getFileName().toString();
            String wnid = wnidOf.get(name);
            if (wnid == null) {
                throw new InputException(ann + ": entry for " + name + ": expected one line per val image, got none");
            }
            labels[i] = classOf.get(wnid);
        }
        return new FileDataset("tiny/val", files, labels, wnids.size(), 3);
    }

    private static void requireDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": Tiny-ImageNet: expected the tiny-imagenet-200 layout (train/, val/), "
                    + "got no such directory; set --data / data.path to the tiny-imagenet-200 directory");
        }
    }

    static int[] toArray(List<Integer> xs) {
        int[] out = new int[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs.get(i);
        }
        return out;
    }
}
