package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.StreamName;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A materialised RECORD, for tests and passthrough; the load path writes {@code data} straight into
 * Arrow (see {@link AirbyteLineParser.Handler#record}). {@link #toString()} leaves the data out.
 *
 * @param emittedAt epoch milliseconds, when the connector wrote it
 */
public record AirbyteRecordMessage(StreamName stream, Optional<String> namespace, JsonNode data,
        OptionalLong emittedAt) implements AirbyteMessage {
    public AirbyteRecordMessage {
        requireNonNull(stream, "stream is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(data, "data is null");
        requireNonNull(emittedAt, "emittedAt is null");
    }

    public StreamDescriptor descriptor() { return new StreamDescriptor(stream, namespace); }

    @Override
    public String toString() {
        return "AirbyteRecordMessage[stream=" + descriptor() + ", fields=" + data.size() + "]";
    }
}
