package io.tapline.internal.protocol.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.spi.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces the JSON Schema of the properties that {@code target} matches with {@code payload}
 * (Meltano's {@code SchemaRule}, from the {@code schema} extra). A property the schema lacks is
 * created, unless its name is a wildcard that matches nothing.
 *
 * @param target the streams and property breadcrumbs the rule applies to
 * @param payload the property's new schema; copied into the catalog, never shared
 */
public record SchemaRule(CatalogRule target, ObjectNode payload) {
    public SchemaRule {
        requireNonNull(target, "target is null");
        payload = requireNonNull(payload, "payload is null").deepCopy();
    }

    @Override
    public ObjectNode payload() {
        return payload.deepCopy();
    }

    /**
     * Rules for Meltano's {@code schema} extra ({@code config_schema_rules}):
     * {@code {<stream>: {<property>: <schema>}}}, one rule per top-level property. As Meltano's
     * {@code nest_object} does, a dotted top-level key is nested first, so
     * {@code {"users.address.type": "object"}} is {@code {users: {address: {type: object}}}}.
     *
     * @throws ConfigException if the extra is not an object of objects of objects
     */
    public static List<SchemaRule> forSchema(JsonNode schema) {
        if (!schema.isObject()) {
            throw new ConfigException("the schema extra must be an object, not " + schema.getNodeType());
        }
        ObjectNode nested = JsonNodeFactory.instance.objectNode();
        for (var field : schema.properties()) {
            nest(nested, field.getKey(), field.getValue());
        }
        List<SchemaRule> rules = new ArrayList<>();
        for (var stream : nested.properties()) {
            if (!stream.getValue().isObject()) {
                throw new ConfigException("schema extra: '" + stream.getKey() + "' must map property names to schemas");
            }
            for (var prop : stream.getValue().properties()) {
                if (!(prop.getValue() instanceof ObjectNode payload)) {
                    throw new ConfigException("schema extra: '" + stream.getKey() + "." + prop.getKey()
                            + "' must be a JSON Schema object");
                }
                rules.add(new SchemaRule(new CatalogRule(stream.getKey(), List.of("properties", prop.getKey()), false),
                        payload));
            }
        }
        return rules;
    }

    /** Meltano's {@code nest}: creates the path's objects, never overwrites a value already there. */
    private static void nest(ObjectNode root, String dotted, JsonNode value) {
        String[] parts = dotted.split("\\.", -1);
        ObjectNode cursor = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = cursor.get(parts[i]);
            if (next == null) {
                next = cursor.putObject(parts[i]);
            }
            if (!(next instanceof ObjectNode obj)) {
                throw new ConfigException("schema extra: '" + dotted + "' nests under a value that is not an object");
            }
            cursor = obj;
        }
        String tail = parts[parts.length - 1];
        if (!cursor.has(tail)) {
            cursor.set(tail, value.deepCopy());
        }
    }
}
