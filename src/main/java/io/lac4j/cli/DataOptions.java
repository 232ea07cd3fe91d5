package io.lac4j.cli;

import io.lac4j.pipeline.DataSource;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data}, {@code --data-root}, {@code --trigger}, {@code --target}: the data half of the vocabulary. */
public final class DataOptions {
    @Option(names = "--data", defaultValue = "fmnist", paramLabel = "NAME|DIR",
            description = "Data set: fmnist (embedded default), cifar10, tiny, or an image-folder path.")
    String data;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "Where the data set lives (default: Debian's fashion-mnist, data/cifar-10-batches-bin, data/tiny-imagenet-200).")
    Path root;

    @Option(names = "--trigger", paramLabel = "NAME",
            description = "Backdoor trigger: stage2, stage1, tiny-stage1, compartifact, or a spec: patch:size=S,x=X,y=Y,pattern=white|black|checker|random|png:FILE (negative x/y count from the right/bottom) or blend:alpha=A,pattern=…. Without it only CDA is measured.")
    String trigger;

    @Option(names = "--target", defaultValue = "0", paramLabel = "CLASS", description = "Attack target class.")
    int target;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Evaluate only the first N test images (quick checks; 0 = all).")
    int limit;

    public DataSource source() {
        return new DataSource(data, root, trigger, target, limit);
    }
}
