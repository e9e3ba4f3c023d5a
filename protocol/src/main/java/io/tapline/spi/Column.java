package io.tapline.spi;


import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One column of a stream: its name, its type and where its value sits in a record: the property path, which is
 * {@code [name]} except for a column flattened out of nested objects ({@code a__b} at {@code [a, b]}).
 */
public record Column(String name, ColumnType type, List<String> path) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("path is empty");
        }
    }

    /** A top-level property. */
    public Column(String name, ColumnType type) {
        this(name, type, List.of(name));
    }
}
