package io.tapline.internal.state.history;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A stream's figures in one run.
 *
 * @param stream the stream's name
 * @param rows records handed to the target
 * @param bytes approximate bytes of those records in Arrow
 * @param columns the stream's final columns with their null counts over the run
 * @param schemaChanges schema changes seen: within the run, and against the last successful run's schema
 */
public record StreamRecord(String stream, long rows, long bytes, List<ColumnStats> columns, List<String> schemaChanges) {
    public StreamRecord {
        requireNonNull(stream, "stream is null");
        columns = List.copyOf(columns);
        schemaChanges = List.copyOf(schemaChanges);
    }
}
