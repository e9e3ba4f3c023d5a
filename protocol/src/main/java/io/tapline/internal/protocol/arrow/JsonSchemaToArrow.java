package io.tapline.internal.protocol.arrow;

import io.tapline.spi.StreamSchema;
import io.tapline.spi.Column;
import io.tapline.spi.ColumnType;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.internal.protocol.singer.SchemaMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a stream's JSON Schema to columns.
 *
 * <ul>
 *   <li>{@code integer} -> BIGINT, {@code number} (or integer|number) -> DOUBLE, {@code boolean} -> BOOLEAN;
 *   <li>{@code string} -> VARCHAR, or TIMESTAMPTZ / DATE / TIME for format date-time / date / time;
 *   <li>{@code null} in a type list or an {@code anyOf}/{@code oneOf} branch only makes the column nullable
 *       (every column is nullable: Singer records may omit properties);
 *   <li>objects, arrays, schemas without a type, and unions that include them -> JSON text;
 *   <li>other unions of scalars (e.g. string|integer) -> VARCHAR holding the value's text.
 * </ul>
 *
 * <p>With a flatten depth (the SDK's {@code flattening_max_depth}, target-duckdb's {@code data_flattening_max_level}),
 * object properties that declare {@code properties} become one column per sub-property, named with {@code __}
 * ({@code address__city}), down to that many levels; deeper objects stay JSON.
 */
public final class JsonSchemaToArrow {
    private JsonSchemaToArrow() {}

    public static StreamSchema convert(SchemaMessage message, long lineNumber) {
        return convert(message, lineNumber, 0);
    }

    /** As {@link #convert(SchemaMessage, long)}, flattening nested objects {@code flattenDepth} levels deep. */
    public static StreamSchema convert(SchemaMessage message, long lineNumber, int flattenDepth) {
        JsonNode properties = message.schema().node().get("properties");
        if (properties == null || !properties.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_SCHEMA, Optional.of(message.stream()), lineNumber,
                    "SCHEMA for stream '" + message.stream() + "' has no \"properties\" object");
        }
        List<Column> columns = new ArrayList<>();
        addColumns(properties, List.of(), flattenDepth, columns);
        for (String key : message.keyProperties()) {
            if (!properties.has(key)) {
                throw new ProtocolException(ErrorCode.INVALID_SCHEMA, Optional.of(message.stream()), lineNumber,
                        "key property '" + key + "' of stream '" + message.stream() + "' is not in its schema");
            }
        }
        return new StreamSchema(message.stream(), columns, message.keyProperties());
    }

    private static void addColumns(JsonNode properties, List<String> parent, int depthLeft, List<Column> out) {
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            List<String> path = new ArrayList<>(parent);
            path.add(e.getKey());
            JsonNode nested = depthLeft > 0 ? flattenable(e.getValue()) : null;
            if (nested != null) {
                addColumns(nested, path, depthLeft - 1, out);
            } else {
                out.add(new Column(String.join("__", path), columnType(e.getValue()), path));
            }
        }
    }

    /** The {@code properties} of an object-only schema (null allowed), or null if it is not one. */
    private static JsonNode flattenable(JsonNode schema) {
        JsonNode props = schema.get("properties");
        if (props == null || !props.isObject() || props.isEmpty()) {
            return null;
        }
        JsonNode type = schema.get("type");
        Set<String> types = new HashSet<>();
        if (type != null && type.isTextual()) {
            types.add(type.asText());
        } else if (type != null && type.isArray()) {
            type.forEach(t -> types.add(t.asText()));
        }
        types.remove("null");
        return types.equals(Set.of("object")) ? props : null;
    }

    /** The column type for one property schema. */
    public static ColumnType columnType(JsonNode schema) {
        Set<String> types = new HashSet<>();
        Set<String> formats = new HashSet<>();
        boolean[] unformattedString = {false};
        if (!collect(schema, types, formats, unformattedString)) {
            return ColumnType.JSON;
        }
        types.remove("null");
        if (types.isEmpty() || types.contains("object") || types.contains("array")) {
            return ColumnType.JSON;
        }
        if (types.size() == 1) {
            return switch (types.iterator().next()) {
                case "integer" -> ColumnType.BIGINT;
                case "number" -> ColumnType.DOUBLE;
                case "boolean" -> ColumnType.BOOLEAN;
                case "string" -> stringType(formats, unformattedString[0]);
                default -> ColumnType.JSON;
            };
        }
        if (types.equals(Set.of("integer", "number"))) {
            return ColumnType.DOUBLE;
        }
        return ColumnType.VARCHAR;
    }

    private static ColumnType stringType(Set<String> formats, boolean unformatted) {
        if (unformatted || formats.size() != 1) {
            return ColumnType.VARCHAR;
        }
        return switch (formats.iterator().next()) {
            case "date-time" -> ColumnType.TIMESTAMPTZ;
            case "date" -> ColumnType.DATE;
            case "time" -> ColumnType.TIME;
            default -> ColumnType.VARCHAR;
        };
    }

    /** Collects types and string formats from type, anyOf and oneOf; false if some branch is untyped. */
    private static boolean collect(JsonNode schema, Set<String> types, Set<String> formats, boolean[] unformatted) {
        if (schema == null || !schema.isObject()) {
            return false;
        }
        boolean typed = false;
        JsonNode type = schema.get("type");
        if (type != null) {
            List<String> names = new ArrayList<>();
            if (type.isTextual()) {
                names.add(type.asText());
            } else if (type.isArray()) {
                type.forEach(t -> names.add(t.asText()));
            }
            types.addAll(names);
            if (names.contains("string")) {
                JsonNode format = schema.get("format");
                if (format != null && format.isTextual()) {
                    formats.add(format.asText());
                } else {
                    unformatted[0] = true;
                }
            }
            typed = !names.isEmpty();
        }
        for (String union : List.of("anyOf", "oneOf")) {
            JsonNode branches = schema.get(union);
            if (branches != null && branches.isArray()) {
                for (JsonNode branch : branches) {
                    if (!collect(branch, types, formats, unformatted)) {
                        return false;
                    }
                }
                typed = true;
            }
        }
        return typed;
    }
}
