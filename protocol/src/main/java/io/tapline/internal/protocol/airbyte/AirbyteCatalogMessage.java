package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CATALOG message, the answer to {@code discover}: the {@code AirbyteCatalog} object with its
 * {@code streams} array. Holds its own copy; callers must not mutate {@link #catalog()}.
 */
public record AirbyteCatalogMessage(JsonNode catalog) implements AirbyteMessage {
    public AirbyteCatalogMessage {
        requireNonNull(catalog, "catalog is null");
        if (!catalog.path("streams").isArray()) {
            throw new IllegalArgumentException("catalog has no \"streams\" array");
        }
        catalog = catalog.deepCopy();
    }
}
