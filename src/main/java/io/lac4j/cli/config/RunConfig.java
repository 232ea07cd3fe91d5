package io.lac4j.cli.config;

import com.fasterxml.jackson.core.type.TypeReference;
import io.lac4j.InputException;
import io.lac4j.io.AtomicFile;
import io.lac4j.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a purify run was started with, kept in its run folder ({@value #FILE}) so that
 * {@code lac4j purify --resume RUN_DIR} needs nothing else: the YAML mapping it read (its content,
 * not its path, so a moved or edited file cannot change a resumed run), the key=value overrides,
 * the working directory relative paths were meant against, and — for people reading the folder —
 * the resolved configuration.
 */
public record RunConfig(Map<String, Object> file, String fileSource, List<String> overrides, String workingDir,
        Map<String, Object> resolved) {
    public static final String FILE = "run-config.json";

    /** The configuration of a run about to start. */
    public static RunConfig of(Map<String, Object> file, String fileSource, List<String> overrides, ConfigLoader.Resolved r) {
        return new RunConfig(file, fileSource, List.copyOf(overrides), Path.of("").toAbsolutePath().toString(), r.tree().asMap());
    }

    /** Resolves the saved inputs again: defaults, file, template, overrides. */
    public ConfigLoader.Resolved resolve() {
        return ConfigLoader.load(file, fileSource, overrides);
    }

    public void write(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        AtomicFile.writeString(runDir.resolve(FILE), Json.mapper().writeValueAsString(this) + "\n");
    }

    /** The saved configuration of {@code runDir}; a clear error when the folder has none. */
    public static RunConfig read(Path runDir) {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new InputException("--resume " + runDir + ": no " + FILE + " in this folder; resume a folder that"
                    + " `lac4j purify` made (it writes " + FILE + " before the first unit)");
        }
        try {
            return Json.mapper().readValue(f.toFile(), new TypeReference<RunConfig>() {});
        } catch (IOException e) {
            throw new InputException(f + ": unreadable saved configuration: " + e.getMessage());
        }
    }

    /**
     * The keys whose resolved values differ between the saved run and {@code asked} (what the
     * resume command line would give), as "key=asked contradicts the saved run (key=saved)".
     */
    public static List<String> contradictions(ConfigLoader.Resolved saved, ConfigLoader.Resolved asked) {
        Map<String, Object> a = leaves(saved.tree());
        Map<String, Object> b = leaves(asked.tree());
        List<String> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String key : keys) {
            if (!Objects.equals(a.get(key), b.get(key))) {
                out.add(key + "=" + b.get(key) + " contradicts the saved run (" + key + "=" + a.get(key) + ")");
            }
        }
        return out;
    }

    /** Dotted leaf paths of the tree's map (read without marking keys as used). */
    private static Map<String, Object> leaves(ConfigTree t) {
        Map<String, Object> m = new LinkedHashMap<>();
        flatten("", t.asMap(), m);
        return m;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> child) {
                flatten(key + ".", child, out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }
}
