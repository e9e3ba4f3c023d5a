package io.tapline.internal.protocol.singer;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON Schema document. Holds its own copy; callers must not mutate {@link #node()}. */
public record JsonSchema(JsonNode node) {
    public JsonSchema {
        requireNonNull(node, "node is null");
        node = node.deepCopy();
    }

    @Override
    public String toString() { return node.toString(); }
}
