package io.tapline.internal.protocol.singer;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.StreamName;
import java.util.Optional;
import java.util.OptionalLong;

/** A materialised RECORD, for tests and passthrough. The load path writes records straight into Arrow. */
public record RecordMessage(StreamName stream, JsonNode record, Optional<String> timeExtracted, OptionalLong version)
        implements SingerMessage {
    public RecordMessage {
        requireNonNull(stream, "stream is null");
        requireNonNull(record, "record is null");
        requireNonNull(timeExtracted, "timeExtracted is null");
        requireNonNull(version, "version is null");
    }
}
