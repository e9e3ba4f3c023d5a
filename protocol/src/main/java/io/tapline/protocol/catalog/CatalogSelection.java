package io.tapline.protocol.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies selection to a Singer catalog the way Meltano does: everything deselected, then the
 * {@code select} rules (includes, then excludes). {@code inclusion: automatic} nodes are selected
 * whatever the rules say; {@code unsupported} ones never are.
 */
public final class CatalogSelection {
    private CatalogSelection() {}

    /** Returns a copy of {@code catalog} with {@code selected} set on every metadata node. */
    public static ObjectNode apply(ObjectNode catalog, List<String> select) {
        return apply(catalog, select, List.of());
    }

    /**
     * As {@link #apply(ObjectNode, List)}, then the {@code metadata} rules (last match wins). A rule
     * setting {@code replication-key} or {@code replication-method} on a stream also sets the
     * stream's top-level {@code replication_key} / {@code replication_method}, which SDK taps read.
     */
    public static ObjectNode apply(ObjectNode catalog, List<String> select, List<MetadataRule> metadataRules) {
        ObjectNode out = catalog.deepCopy();
        List<MetadataRule> rules = new ArrayList<>(MetadataRule.forSelect(List.of("!*.*")));
        rules.addAll(MetadataRule.forSelect(select));
        rules.addAll(metadataRules);
        for (JsonNode stream : out.path("streams")) {
            if (!(stream instanceof ObjectNode s)) {
                continue;
            }
            String streamId = s.path("tap_stream_id").asText(s.path("stream").asText());
            ArrayNode metadata = ensureMetadata(s);
            for (JsonNode node : metadata) {
                List<String> breadcrumb = new ArrayList<>();
                node.path("breadcrumb").forEach(b -> breadcrumb.add(b.asText()));
                ObjectNode md = node.path("metadata") instanceof ObjectNode m ? m : ((ObjectNode) node).putObject("metadata");
                for (MetadataRule rule : rules) {
                    if (rule.matches(streamId, breadcrumb)) {
                        md.set(rule.key(), rule.value().deepCopy());
                        if (breadcrumb.isEmpty() && rule.key().equals("replication-key")) {
                            s.set("replication_key", rule.value().deepCopy());
                        } else if (breadcrumb.isEmpty() && rule.key().equals("replication-method")) {
                            s.set("replication_method", rule.value().deepCopy());
                        }
                    }
                }
                String inclusion = md.path("inclusion").asText("");
                if (inclusion.equals("automatic")) {
                    md.put("selected", true);
                } else if (inclusion.equals("unsupported")) {
                    md.put("selected", false);
                }
            }
        }
        return out;
    }

    /** Streams whose stream-level node ended up selected. */
    public static List<String> selectedStreams(ObjectNode catalog) {
        List<String> out = new ArrayList<>();
        for (JsonNode stream : catalog.path("streams")) {
            for (JsonNode node : stream.path("metadata")) {
                if (node.path("breadcrumb").isEmpty() && node.path("metadata").path("selected").asBoolean(false)) {
                    out.add(stream.path("tap_stream_id").asText(stream.path("stream").asText()));
                }
            }
        }
        return out;
    }

    /** A stream-level node and one per top-level property, created when the tap gave none. */
    private static ArrayNode ensureMetadata(ObjectNode stream) {
        ArrayNode metadata = stream.path("metadata") instanceof ArrayNode a ? a : stream.putArray("metadata");
        boolean hasRoot = false;
        List<String> described = new ArrayList<>();
        for (JsonNode node : metadata) {
            JsonNode bc = node.path("breadcrumb");
            if (bc.isEmpty()) {
                hasRoot = true;
            } else if (bc.size() == 2) {
                described.add(bc.get(1).asText());
            }
        }
        if (!hasRoot) {
            ObjectNode root = metadata.addObject();
            root.putArray("breadcrumb");
            root.putObject("metadata");
        }
        stream.path("schema").path("properties").fieldNames().forEachRemaining(name -> {
            if (!described.contains(name)) {
                ObjectNode node = metadata.addObject();
                node.putArray("breadcrumb").add("properties").add(name);
                node.putObject("metadata").put("inclusion", "available");
            }
        });
        return metadata;
    }
}
