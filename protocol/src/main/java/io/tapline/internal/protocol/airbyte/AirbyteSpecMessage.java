package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A SPEC message, the answer to {@code spec}: the whole {@code ConnectorSpecification}. Holds its own
 * copy; callers must not mutate what it returns.
 */
public record AirbyteSpecMessage(JsonNode spec) implements AirbyteMessage {
    public AirbyteSpecMessage {
        requireNonNull(spec, "spec is null");
        if (!spec.path("connectionSpecification").isObject()) {
            throw new IllegalArgumentException("spec has no \"connectionSpecification\" object");
        }
        spec = spec.deepCopy();
    }

    /** The JSON Schema a config must satisfy; fields with {@code airbyte_secret: true} are secrets. */
    public JsonNode connectionSpecification() { return spec.get("connectionSpecification"); }
}
