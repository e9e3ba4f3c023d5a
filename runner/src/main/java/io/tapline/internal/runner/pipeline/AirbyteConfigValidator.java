package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.internal.protocol.airbyte.AirbyteSpecMessage;
import io.tapline.internal.runner.process.Secrets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;

/**
 * Checks a connector config against the {@code connectionSpecification} of the connector's
 * {@code spec} (networknt json-schema-validator; draft 7 unless the schema names another), before
 * {@code read}. Every failing field is reported on its own line. Values of fields marked
 * {@code airbyte_secret: true} never appear in a message: they are masked wherever the validator's
 * text would quote them.
 */
public final class AirbyteConfigValidator {
    /** Airbyte's UI annotations in connection specifications: known, so the validator does not warn of them. */
    private static final List<String> AIRBYTE_KEYWORDS = List.of("airbyte_secret", "airbyte_hidden", "order", "group",
            "always_show", "display_type", "multiline", "pattern_descriptor", "airbyte_hidden_fields");

    private AirbyteConfigValidator() {}

    /** @throws ConfigException naming each failing field, if {@code config} does not satisfy the spec */
    public static void validate(String connector, AirbyteSpecMessage spec, JsonNode config) {
        List<String> problems = problems(spec, config);
        if (!problems.isEmpty()) {
            throw new ConfigException(ErrorCode.CONFIG_INVALID, "config of Airbyte source '" + connector
                    + "' does not match its spec (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s")
                    + "):\n  " + String.join("\n  ", problems));
        }
    }

    /** One line per failing field, secrets masked; empty when the config is valid. */
    public static List<String> problems(AirbyteSpecMessage spec, JsonNode config) {
        Schema schema;
        try {
            Dialect.Builder dialect = Dialect.builder(Dialects.getDraft7());
            AIRBYTE_KEYWORDS.forEach(k -> dialect.keyword(new AnnotationKeyword(k)));
            schema = SchemaRegistry.withDefaultDialect(dialect.build())
                    .getSchema(spec.connectionSpecification().toString(), InputFormat.JSON);
        } catch (SchemaException e) {
            throw new ConfigException(ErrorCode.CONFIG_INVALID, "the connector's connectionSpecification is not a "
                    + "valid JSON Schema: " + e.getMessage(), e);
        }
        Secrets secrets = Secrets.airbyte(spec.connectionSpecification(), config);
        Set<String> out = new LinkedHashSet<>(); // oneOf branches repeat the same complaint
        for (Error e : schema.validate(config.toString(), InputFormat.JSON)) {
            out.add(secrets.mask(describe(e)));
        }
        return List.copyOf(out);
    }

    private static String describe(Error e) {
        String at = e.getInstanceLocation().toString();
        String path = at.replaceFirst("^[$#]?[./]?", "").replace('/', '.');
        String message = e.getMessage();
        // the validator may prefix its message with the location; ours names it already
        if (message.startsWith(at + ": ")) {
            message = message.substring(at.length() + 2);
        }
        if ("required".equals(e.getKeyword()) && e.getProperty() != null) {
            String field = path.isEmpty() ? e.getProperty() : path + "." + e.getProperty();
            return "field '" + field + "': required but missing";
        }
        return (path.isEmpty() ? "config" : "field '" + path + "'") + ": " + message + " (" + e.getKeyword() + ")";
    }
}
