package io.lac4j.data;

import io.lac4j.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A generic class-per-sub-directory dataset like torchvision's {@code ImageFolder}: {@code
 * root/<class>/*.{png,jpg,jpeg,bmp,gif}}, classes sorted by directory name (class index =
 * position), files sorted by name. Images are decoded on demand to 3 (RGB) or 1 (L) channels;
 * all images must have the size of the first one (no resizing; a different size is an error).
 */
public final class ImageFolder {
    private ImageFolder() {}

    /** Opens {@code root} with RGB images. */
    public static ImageDataset read(Path root) {
        return read(root, 3, root.getFileName() == null ? root.toString() : root.getFileName().toString());
    }

    /**
     * Opens {@code root}.
     *
     * @param channels 3 (RGB) or 1 (grey)
     */
    public static ImageDataset read(Path root, int channels, String name) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels: expected 1 or 3, got " + channels);
        }
        if (!Files.isDirectory(root)) {
            throw new InputException(root + ": image folder: expected a directory with one sub-directory per class, "
                    + "got no such directory; set --data / data.path");
        }
        List<Path> classes = ImageFiles.listDirs(root);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            for (Path f : ImageFiles.listImages(classes.get(c))) {
                files.add(f);
                labels.add(c);
            }
        }
        if (files.isEmpty()) {
            throw new InputException(root + ": image folder: expected <class>/<image>.png|jpg files, got "
                    + classes.size() + " class directories and no images");
        }
        return new FileDataset(name, files, TinyImageNet.toArray(labels), classes.size(), channels);
    }
}
