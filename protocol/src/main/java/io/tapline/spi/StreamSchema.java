package io.tapline.spi;

import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;


import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A stream's shape as targets see it: ordered columns, key properties and the matching Arrow schema.
 * Built once per SCHEMA message by {@link JsonSchemaToArrow}.
 */
public record StreamSchema(StreamName stream, List<Column> columns, List<String> keyProperties) {
    /** Arrow field metadata key that marks a UTF-8 field holding JSON text. */
    public static final String TYPE_METADATA_KEY = "tapline.type";

    public StreamSchema {
        requireNonNull(stream, "stream is null");
        columns = List.copyOf(columns);
        keyProperties = List.copyOf(keyProperties);
    }

    public Schema arrowSchema() {
        return new Schema(columns.stream()
                .map(c -> new Field(c.name(),
                        new FieldType(true, c.type().arrowType(), null,
                                c.type() == ColumnType.JSON ? Map.of(TYPE_METADATA_KEY, "json") : null),
                        null))
                .toList());
    }

    public boolean hasKeys() { return !keyProperties.isEmpty(); }

    /** This schema with {@code extra} columns appended, except those whose name it has (case-insensitively). */
    public StreamSchema withColumns(List<Column> extra) {
        List<Column> all = new ArrayList<>(columns);
        for (Column c : extra) {
            if (all.stream().noneMatch(a -> a.name().equalsIgnoreCase(c.name()))) {
                all.add(c);
            }
        }
        return all.size() == columns.size() ? this : new StreamSchema(stream, all, keyProperties);
    }

    /** The column named {@code name} (case-insensitively, as DuckDB matches), or null. */
    public Column column(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Column c : columns) {
            if (c.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return c;
            }
        }
        return null;
    }
}
