package io.lac4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every backward pass in lac4j's code goes through {@link Engines#backward}, so the tests' freed-buffer poison
 * ({@link FreedBufferPoison}) reaches all of them.
 */
class BackwardPassesTest {
    private static final Pattern DIRECT = Pattern.compile("(?<!Engines)\\.backward\\(");

    @Test
    void onlyEnginesCallsTheCollectorsBackward() throws IOException {
        List<String> direct;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            direct = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.endsWith(Path.of("io/lac4j/engine/Engines.java")))
                    .flatMap(BackwardPassesTest::directCalls).toList();
        }
        assertThat(direct).as("call Engines.backward(gc, loss) instead").isEmpty();
        assertThat(directCalls(Path.of("src/main/java/io/lac4j/engine/Engines.java"))).hasSize(1);
    }

    private static Stream<String> directCalls(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            return java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> DIRECT.matcher(lines.get(i)).find() && !lines.get(i).trim().startsWith("*"))
                    .mapToObj(i -> p + ":" + (i + 1) + ": " + lines.get(i).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
