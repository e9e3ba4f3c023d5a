package io.tapline.internal.protocol.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Walks a stream's JSON Schema the way Meltano's catalog visitor does: a property node is an object
 * whose path from {@code schema} is {@code (.properties.<word chars>)+}, so array {@code items}, names
 * with dots, dashes or spaces, and whatever sits under a property's {@code anyOf} or {@code type} are
 * not property nodes. The visitor sees a node before its children, so it may replace them.
 */
final class CatalogWalk {
    private static final Pattern PROPERTY_PATH =
            Pattern.compile("schema(\\.properties\\.\\w*)+$", Pattern.UNICODE_CHARACTER_CLASS);

    @FunctionalInterface
    interface PropertyVisitor {
        /** {@code breadcrumb} is the node's path from the first {@code properties}, e.g. {@code [properties, a]}. */
        void property(ObjectNode node, List<String> breadcrumb);
    }

    private CatalogWalk() {}

    static String streamId(JsonNode stream) {
        return stream.path("tap_stream_id").asText(stream.path("stream").asText());
    }

    /** The entry's breadcrumb, or {@code null} when it has none (Meltano skips such entries). */
    static List<String> breadcrumb(JsonNode metadataEntry) {
        JsonNode bc = metadataEntry.get("breadcrumb");
        if (bc == null || !bc.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        bc.forEach(b -> out.add(b.asText()));
        return out;
    }

    static void properties(JsonNode schema, PropertyVisitor visitor) {
        walk(schema, "schema", visitor);
    }

    private static void walk(JsonNode node, String path, PropertyVisitor visitor) {
        if (node instanceof ObjectNode obj) {
            boolean property = PROPERTY_PATH.matcher(path).find();
            if (property) {
                String fromProperties = path.substring(path.indexOf("properties"));
                visitor.property(obj, Arrays.asList(fromProperties.split("\\.", -1)));
            }
            List<String> names = new ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode child = obj.get(name);
                if (child == null || (property && (name.equals("anyOf") || name.equals("type")))) {
                    continue;
                }
                walk(child, path + "." + name, visitor);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                walk(array.get(i), path + "[" + i + "]", visitor);
            }
        }
    }
}
