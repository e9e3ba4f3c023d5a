package io.tapline.protocol.arrow;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.protocol.ErrorCode;
import io.tapline.protocol.ProtocolException;
import io.tapline.protocol.singer.SchemaMessage;
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
 */
public final class JsonSchemaToArrow {
    private JsonSchemaToArrow() {}

    public static StreamSchema convert(SchemaMessage message, long lineNumber) {
        JsonNode properties = message.schema().node().get("properties");
        if (properties == null || !properties.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_SCHEMA, Optional.of(message.stream()), lineNumber,
                    "SCHEMA for stream '" + message.stream() + "' has no \"properties\" object");
        }
        List<Column> columns = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : properties.properties()) {
            columns.add(new Column(e.getKey(), columnType(e.getValue())));
        }
        for (String key : message.keyProperties()) {
            if (!properties.has(key)) {
                throw new ProtocolException(ErrorCode.INVALID_SCHEMA, Optional.of(message.stream()), lineNumber,
                        "key property '" + key + "' of stream '" + message.stream() + "' is not in its schema");
            }
        }
        return new StreamSchema(message.stream(), columns, message.keyProperties());
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
