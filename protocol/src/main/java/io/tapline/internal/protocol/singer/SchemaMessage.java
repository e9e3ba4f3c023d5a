package io.tapline.internal.protocol.singer;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.StreamName;
import java.util.List;

public record SchemaMessage(StreamName stream, JsonSchema schema, List<String> keyProperties,
        List<String> bookmarkProperties) implements SingerMessage {
    public SchemaMessage {
        requireNonNull(stream, "stream is null");
        requireNonNull(schema, "schema is null");
        keyProperties = List.copyOf(keyProperties);
        bookmarkProperties = List.copyOf(bookmarkProperties);
    }
}
