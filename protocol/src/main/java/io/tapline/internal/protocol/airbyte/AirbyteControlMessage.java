package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CONTROL message of type {@code CONNECTOR_CONFIG}: config values the connector changed (a
 * refreshed OAuth token, say), to be persisted over the stored config. The values are secrets as
 * often as not, so {@link #toString()} masks them. Holds its own copy.
 *
 * @param config the {@code connectorConfig.config} object
 */
public record AirbyteControlMessage(JsonNode config) implements AirbyteMessage {
    public AirbyteControlMessage {
        requireNonNull(config, "config is null");
        if (!config.isObject()) {
            throw new IllegalArgumentException("connector config is not a JSON object");
        }
        config = config.deepCopy();
    }

    @Override
    public String toString() { return "AirbyteControlMessage[config=****]"; }
}
