package io.tapline.internal.runner.ops;

import io.tapline.spi.Column;
import io.tapline.spi.StreamSchema;
import io.tapline.internal.state.history.ColumnStats;
import io.tapline.internal.state.history.StreamRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One stream's data-quality figures over a run: rows, bytes, null counts per column and the schema
 * changes seen. Null counts come from the Arrow validity buffers the batch already has, so the cost
 * is a popcount per column per batch, not a pass over the values. Reading thread only.
 */
final class StreamFigures {
    private final String stream;
    private StreamSchema schema;
    private final Map<String, long[]> nulls = new LinkedHashMap<>();
    private final List<String> changes = new ArrayList<>();
    private long rows;
    private long bytes;

    StreamFigures(StreamSchema schema) {
        this.stream = schema.stream().toString();
        this.schema = schema;
        schema.columns().forEach(c -> nulls.put(c.name(), new long[1]));
    }

    /** A SCHEMA for the stream arrived again: notes what changed. */
    void reopen(StreamSchema next) {
        if (next.columns().equals(schema.columns())) {
            schema = next;
            return;
        }
        changes.addAll(SchemaDrift.changes(columns(schema), next.columns()));
        schema = next;
        next.columns().forEach(c -> nulls.computeIfAbsent(c.name(), k -> new long[1]));
    }

    void batch(VectorSchemaRoot batch, long batchBytes) {
        int n = batch.getRowCount();
        rows += n;
        bytes += batchBytes;
        for (FieldVector v : batch.getFieldVectors()) {
            long[] count = nulls.get(v.getName());
            if (count != null) {
                count[0] += v.getNullCount();
            }
        }
    }

    StreamSchema schema() { return schema; }

    long rows() { return rows; }

    long bytes() { return bytes; }

    /** The figures to record, with {@code drift} (changes against the last successful run) after the run's own. */
    StreamRecord toRecord(List<String> drift) {
        List<ColumnStats> cols = new ArrayList<>();
        for (Column c : schema.columns()) {
            cols.add(new ColumnStats(c.name(), c.type().name(), nulls.getOrDefault(c.name(), new long[1])[0]));
        }
        List<String> all = new ArrayList<>(changes);
        drift.forEach(d -> all.add("since last successful run: " + d));
        return new StreamRecord(stream, rows, bytes, cols, all);
    }

    static List<ColumnStats> columns(StreamSchema schema) {
        return schema.columns().stream().map(c -> new ColumnStats(c.name(), c.type().name(), 0)).toList();
    }
}
