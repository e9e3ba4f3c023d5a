package io.tapline.internal.state.history;

import static java.util.Objects.requireNonNull;

/** One column of a stream in a run: its type and how many of the run's rows had it null. */
public record ColumnStats(String name, String type, long nullCount) {
    public ColumnStats {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
