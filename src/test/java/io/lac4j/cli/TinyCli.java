package io.lac4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the real command line in-process, and trains the tiny model the defense e2e tests share. */
final class TinyCli {
    private TinyCli() {}

    record Run(int code, String out, String err) {}

    static Run lac4j(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Lac4j.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Skips the calling test when Debian's dataset-fashion-mnist is absent (.ci/run and the launcher install it). */
    static void assumeFashionMnist() {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)");
    }

    /** A width-2 CIFAR ResNet-18 trained for one epoch on 96 Fashion-MNIST images (skips without the data). */
    static Path trainTinyModel(Path dir) {
        assumeFashionMnist();
        Path model = dir.resolve("tiny.pth");
        Run r = lac4j("train", "--arch", "resnet18-cifar", "--width", "2", "--epochs", "1", "--train-images", "96",
                "--batch-size", "32", "--eval-images", "64", "--test-images", "64", "--ptq-report", "none", "--threads", "1",
                "-q", "--out", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return model;
    }
}
