package io.tapline.internal.protocol.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Meltano's {@code MetadataExecutor}, in place: creates the metadata entries a stream lacks, then
 * sets each matching rule's key, in rule order, so the last match wins.
 */
final class MetadataApplier {
    private MetadataApplier() {}

    static void apply(ObjectNode catalog, List<MetadataRule> rules) {
        for (JsonNode s : catalog.path("streams")) {
            if (!(s instanceof ObjectNode stream)) {
                continue;
            }
            String streamId = CatalogWalk.streamId(stream);
            ArrayNode metadata = stream.get("metadata") instanceof ArrayNode a ? a : stream.putArray("metadata");
            ensure(metadata, List.of());
            for (MetadataRule rule : rules) {
                if (rule.matches(streamId, List.of())) {
                    // legacy catalogs read these from the stream itself: replication-key as replication_key
                    set(stream, rule.key().replace('-', '_'), rule.value());
                }
            }
            JsonNode schema = stream.get("schema");
            if (schema != null) {
                CatalogWalk.properties(schema, (node, breadcrumb) -> ensure(metadata, breadcrumb));
            }
            // Unlike Meltano, whose visitor misses the entries it creates when a stream lists "metadata"
            // before "schema", every entry gets the rules whatever the key order.
            for (JsonNode e : metadata) {
                List<String> breadcrumb = CatalogWalk.breadcrumb(e);
                if (!(e instanceof ObjectNode entry) || breadcrumb == null) {
                    continue;
                }
                ObjectNode md = entry.get("metadata") instanceof ObjectNode m ? m : entry.putObject("metadata");
                for (MetadataRule rule : rules) {
                    if (rule.matches(streamId, breadcrumb)) {
                        set(md, rule.key(), rule.value());
                    }
                }
            }
        }
    }

    /**
     * Adds an entry for {@code breadcrumb} if there is none: {@code inclusion: automatic} for the stream
     * and its top-level properties, {@code available} for nested ones.
     */
    private static void ensure(ArrayNode metadata, List<String> breadcrumb) {
        for (JsonNode e : metadata) {
            if (breadcrumb.equals(CatalogWalk.breadcrumb(e))) {
                return;
            }
        }
        ObjectNode entry = metadata.addObject();
        breadcrumb.forEach(entry.putArray("breadcrumb")::add);
        entry.putObject("metadata").put("inclusion", breadcrumb.size() <= 2 ? "automatic" : "available");
    }

    /** An {@code unsupported} node is never set to {@code selected: true}. */
    private static void set(ObjectNode node, String key, JsonNode value) {
        if (key.equals("selected") && value.isBoolean() && value.booleanValue()
                && node.path("inclusion").asText("").equals("unsupported")) {
            return;
        }
        node.set(key, value.deepCopy());
    }
}
