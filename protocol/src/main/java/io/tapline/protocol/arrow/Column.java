package io.tapline.protocol.arrow;

import static java.util.Objects.requireNonNull;

/** One property of a stream: its name as the tap spells it and its column type. */
public record Column(String name, ColumnType type) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
