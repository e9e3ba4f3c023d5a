package io.tapline.internal.protocol.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Meltano's {@code SchemaExecutor}, in place: creates the properties the rules name, then replaces
 * each matching property's schema with the rule's payload. A property is visited before its children,
 * so a rule can reach into a payload another rule just set.
 */
final class SchemaApplier {
    private SchemaApplier() {}

    static void apply(ObjectNode catalog, List<SchemaRule> rules) {
        for (JsonNode s : catalog.path("streams")) {
            if (!(s instanceof ObjectNode stream)) {
                continue;
            }
            String streamId = CatalogWalk.streamId(stream);
            if (!stream.has("schema")) {
                stream.putObject("schema").put("type", "object");
            }
            if (!(stream.get("schema") instanceof ObjectNode schema)) {
                continue;
            }
            for (SchemaRule rule : rules) {
                if (rule.target().matches(streamId)) {
                    ensureProperty(schema, rule.target().breadcrumb());
                }
            }
            CatalogWalk.properties(schema, (node, breadcrumb) -> {
                for (SchemaRule rule : rules) {
                    if (rule.target().matches(streamId, breadcrumb)) {
                        node.removeAll();
                        node.setAll(rule.payload());
                    }
                }
            });
        }
    }

    /**
     * Creates the objects along {@code breadcrumb}. A part that starts with a wildcard ({@code * ? [ ]})
     * is replaced by each existing key it matches, and creates nothing when none does.
     */
    private static void ensureProperty(ObjectNode schema, List<String> breadcrumb) {
        ObjectNode next = schema;
        for (int idx = 0; idx < breadcrumb.size(); idx++) {
            String key = breadcrumb.get(idx);
            if (!key.isEmpty() && "*?[]".indexOf(key.charAt(0)) >= 0) {
                List<String> names = new ArrayList<>();
                next.fieldNames().forEachRemaining(names::add);
                List<String> matching = new ArrayList<>(breadcrumb);
                for (String name : Glob.filter(names, key)) {
                    if (!name.equals(key)) { // a key that matches itself would loop forever
                        matching.set(idx, name);
                        ensureProperty(schema, matching);
                    }
                }
                return;
            }
            JsonNode child = next.get(key);
            if (child == null) {
                child = next.putObject(key);
            }
            if (!(child instanceof ObjectNode obj)) {
                return;
            }
            next = obj;
        }
    }
}
