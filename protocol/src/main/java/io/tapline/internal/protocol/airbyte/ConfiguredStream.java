package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One stream of a configured catalog, as {@link ConfiguredCatalogBuilder} chose to read and load it.
 *
 * @param cursorField the cursor's path; empty for full refresh or when the source defines its cursor
 *     without naming it
 * @param primaryKey paths of the key fields ({@code [["id"]]}); empty when the source defines none
 * @param jsonSchema the stream's schema, cut to the selected properties
 */
public record ConfiguredStream(StreamDescriptor stream, SyncMode syncMode, DestinationSyncMode destinationSyncMode,
        List<String> cursorField, List<List<String>> primaryKey, JsonNode jsonSchema) {
    public ConfiguredStream {
        requireNonNull(stream, "stream is null");
        requireNonNull(syncMode, "syncMode is null");
        requireNonNull(destinationSyncMode, "destinationSyncMode is null");
        cursorField = List.copyOf(cursorField);
        primaryKey = primaryKey.stream().map(List::copyOf).toList();
        requireNonNull(jsonSchema, "jsonSchema is null");
        jsonSchema = jsonSchema.deepCopy();
    }
}
