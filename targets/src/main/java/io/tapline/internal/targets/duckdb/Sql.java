package io.tapline.internal.targets.duckdb;

import io.tapline.spi.ColumnType;

/** DuckDB SQL spelling. */
final class Sql {
    private Sql() {}

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    static String type(ColumnType type) {
        return switch (type) {
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case VARCHAR -> "VARCHAR";
            case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case JSON -> "JSON";
        };
    }
}
