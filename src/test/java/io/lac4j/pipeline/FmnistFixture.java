package io.lac4j.pipeline;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Fashion-MNIST model trained by tools/fixtures/train_fmnist.py and PyTorch's metrics on it. */
final class FmnistFixture {
    private FmnistFixture() {}

    static Path checkpoint() {
        return resource("/golden/fmnist/resnet18_cifar_w8.pth");
    }

    static JsonNode torchMetrics() throws IOException {
        return new ObjectMapper().readTree(resource("/golden/fmnist/resnet18_cifar_w8_metrics.json").toFile());
    }

    /** Debian's dataset-fashion-mnist (.ci/run installs it; the launcher too). */
    static void assumeDataInstalled() {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist)");
    }

    private static Path resource(String name) {
        try {
            return Path.of(FmnistFixture.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException(name + ": fixture missing; run tools/fixtures/train_fmnist.py", e);
        }
    }
}
