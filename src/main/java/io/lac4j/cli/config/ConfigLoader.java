package io.lac4j.cli.config;

import io.lac4j.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Resolves a purify configuration the way the reference's Hydra run does, plus lac4j's keys:
 * built-in defaults, then the YAML file ({@code --config}, read as-is), then the template's
 * model/data facts (templates build the model and loaders in the reference, so they win over
 * the YAML's unread {@code model.*}/{@code data.*}), then {@code key=value} overrides.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** The resolved tree, its template and notes worth telling the user. */
    public record Resolved(ConfigTree tree, Template template, List<String> notes) {}

    public static Resolved load(Path yaml, List<String> overrideArgs) {
        return yaml == null ? load(null, null, overrideArgs) : load(readYaml(yaml), yaml.getFileName().toString(), overrideArgs);
    }

    /**
     * Defaults, then {@code file} (a YAML mapping already read; null for none) named {@code source},
     * then the template it or the overrides name, then the overrides.
     */
    public static Resolved load(Map<String, Object> file, String source, List<String> overrideArgs) {
        ConfigTree tree = new ConfigTree(readDefaults(), "defaults");
        List<String> notes = new ArrayList<>();
        if (file != null) {
            ConfigTree given = new ConfigTree(file, source);
            for (String leaf : given.leaves()) {
                tree.set(leaf, given.get(leaf), source);
            }
        }
        List<Overrides.Override> overrides = Overrides.parse(overrideArgs);
        String templateName = tree.string("template", null);
        String templateOrigin = tree.origin("template");
        for (Overrides.Override o : overrides) {
            if (o.key().equals("template") && o.kind() != Overrides.Kind.DELETE) {
                templateName = o.value() == null ? null : String.valueOf(o.value());
                templateOrigin = Overrides.SOURCE;
            }
        }
        Template t = Templates.byName(templateName, templateOrigin);
        applyTemplate(tree, t, notes);
        Overrides.apply(tree, overrides);
        return new Resolved(tree, t, notes);
    }

    private static void applyTemplate(ConfigTree tree, Template t, List<String> notes) {
        String source = "template " + t.name();
        setFromTemplate(tree, "model.type", t.arch(), source, notes);
        setFromTemplate(tree, "model.path", "checkpoints/" + t.checkpointFile(), source, notes);
        setFromTemplate(tree, "data.trigger", t.trigger(), source, notes);
        setFromTemplate(tree, "data.target", t.target(), source, notes);
        setFromTemplate(tree, "data.name", t.dataset(), source, notes);
        if (tree.get("data.path") != null && !tree.origin("data.path").equals("defaults")) {
            notes.add(tree.origin("data.path") + ": data.path '" + tree.get("data.path")
                    + "' ignored: the template builds the loaders (as in the reference); override with data.path=DIR");
        }
        tree.set("data.path", DataLocations.defaultPath(t.dataset()), source);
    }

    private static void setFromTemplate(ConfigTree tree, String key, Object value, String source, List<String> notes) {
        Object old = tree.get(key);
        if (old != null && !old.equals(value) && !tree.origin(key).equals("defaults")) {
            notes.add(tree.origin(key) + ": " + key + " '" + old + "' ignored: template sets '" + value
                    + "' (the reference never reads " + key + "); override with " + key + "=...");
        }
        tree.set(key, value, source);
    }

    private static Map<String, Object> readDefaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/io/lac4j/cli/config/defaults.yaml")) {
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "defaults.yaml");
        } catch (IOException e) {
            throw new IllegalStateException("built-in defaults.yaml unreadable", e);
        }
    }

    /** Reads a YAML mapping with SnakeYAML's safe constructor (no arbitrary types). */
    public static Map<String, Object> readYaml(Path path) {
        try (Reader r = Files.newBufferedReader(path)) {
            return parse(r, path.toString());
        } catch (NoSuchFileException e) {
            throw new InputException(path + ": config file not found; check --config");
        } catch (IOException e) {
            throw new InputException(path + ": cannot read config: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(Object source, String name) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Object doc;
        try {
            doc = source instanceof Reader r ? yaml.load(r) : yaml.load((String) source);
        } catch (YAMLException e) {
            throw new InputException(name + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (doc == null) {
            return new java.util.LinkedHashMap<>();
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new InputException(name + ": expected a YAML mapping at the top level, got " + doc.getClass().getSimpleName());
        }
        return (Map<String, Object>) doc;
    }
}
