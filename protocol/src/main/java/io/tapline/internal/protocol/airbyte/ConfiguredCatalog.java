package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A {@code ConfiguredAirbyteCatalog}: the JSON handed to {@code read --catalog}, and the same choices
 * as values. Holds its own copy; callers must not mutate {@link #json()}.
 */
public record ConfiguredCatalog(ObjectNode json, List<ConfiguredStream> streams) {
    public ConfiguredCatalog {
        requireNonNull(json, "json is null");
        json = json.deepCopy();
        streams = List.copyOf(streams);
    }

    /** The configured streams, for {@link AirbyteLineParser}'s check of which streams may send records. */
    public Set<StreamDescriptor> descriptors() {
        return streams.stream().map(ConfiguredStream::stream).collect(Collectors.toUnmodifiableSet());
    }

    public boolean isEmpty() { return streams.isEmpty(); }

    @Override
    public String toString() { return "ConfiguredCatalog" + descriptors(); }
}
