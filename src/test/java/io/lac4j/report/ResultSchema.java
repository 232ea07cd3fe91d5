package io.lac4j.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.lac4j.io.Json;
import io.lac4j.pipeline.ResultDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** Validates JSON against {@code io/lac4j/report/results.schema.json} (or the drift schema); returns the violations. */
public final class ResultSchema {
    public static final String RESOURCE = "/io/lac4j/report/results.schema.json";
    public static final String DRIFT_RESOURCE = "/io/lac4j/report/drift.schema.json";
    private static final JsonSchema SCHEMA = load(RESOURCE);
    private static final JsonSchema DRIFT = load(DRIFT_RESOURCE);

    private ResultSchema() {}

    private static JsonSchema load(String resource) {
        try (InputStream in = ResultSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + ": schema missing from the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Violations of {@code json}, as "path: message" strings; empty when valid. */
    public static List<String> validate(JsonNode json) {
        return SCHEMA.validate(json).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    public static List<String> validate(Path file) throws IOException {
        return validate(Json.mapper().readTree(file.toFile()));
    }

    /** Violations of a {@code lac4j.drift/1} document. */
    public static List<String> validateDrift(JsonNode json) {
        return DRIFT.validate(json).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    public static List<String> validate(ResultDocument doc) {
        return validate(Json.mapper().valueToTree(doc));
    }
}
