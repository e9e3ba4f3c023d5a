package io.tapline.internal.protocol.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Meltano's catalog rules to a discovered Singer catalog, as {@code SingerTap.apply_catalog_rules}
 * does: first the {@code schema} rules, then, last match wins, a rule deselecting everything, the
 * {@code select} rules (includes, then excludes), the {@code metadata} rules and the {@code select_filter}
 * rules. Stream-level keys are also written on the stream object with {@code _} for {@code -}
 * ({@code replication_key}, {@code selected}), which legacy taps read; {@code unsupported} nodes are
 * never set to {@code selected: true}; {@code automatic} ones are left as the rules set them, as they
 * count as selected whatever their {@code selected} says. Every method is pure: the catalog passed in is
 * never changed, and a copy is returned.
 */
public final class CatalogSelection {
    private static final Logger log = LoggerFactory.getLogger(CatalogSelection.class);
    private static final Pattern PATH_PROPERTY = Pattern.compile("properties\\.([^.]+)+");

    private CatalogSelection() {}

    /** {@link #apply(ObjectNode, List, List, List, List)} with only {@code select} rules. */
    public static ObjectNode apply(ObjectNode catalog, List<String> select) {
        return apply(catalog, select, List.of());
    }

    /** {@link #apply(ObjectNode, List, List, List, List)} with {@code select} and {@code metadata} rules. */
    public static ObjectNode apply(ObjectNode catalog, List<String> select, List<MetadataRule> metadataRules) {
        return apply(catalog, select, metadataRules, List.of());
    }

    /** {@link #apply(ObjectNode, List, List, List, List)} without {@code schema} rules. */
    public static ObjectNode apply(ObjectNode catalog, List<String> select, List<MetadataRule> metadataRules,
            List<String> selectFilter) {
        return apply(catalog, List.of(), select, metadataRules, selectFilter);
    }

    /**
     * Returns a copy of {@code catalog} with every rule applied. Rules naming a stream or property the
     * catalog lacks are logged at WARN (see {@link #warnings}).
     *
     * @param schemaRules from the {@code schema} extra ({@link SchemaRule#forSchema})
     * @param select the {@code select} extra (Meltano's default is {@code ["*.*"]})
     * @param metadataRules from the {@code metadata} extra ({@link MetadataRule#forMetadata})
     * @param selectFilter the {@code select_filter} extra; empty filters nothing
     */
    public static ObjectNode apply(ObjectNode catalog, List<SchemaRule> schemaRules, List<String> select,
            List<MetadataRule> metadataRules, List<String> selectFilter) {
        ObjectNode out = catalog.deepCopy();
        if (!schemaRules.isEmpty()) {
            SchemaApplier.apply(out, schemaRules);
        }
        List<MetadataRule> rules = rules(select, metadataRules, selectFilter);
        for (String warning : warnings(out, rules)) {
            log.warn("{}", warning);
        }
        MetadataApplier.apply(out, rules);
        return out;
    }

    /** The metadata rules {@link #apply} applies, in order: deselect all, select, metadata, select_filter. */
    public static List<MetadataRule> rules(List<String> select, List<MetadataRule> metadataRules,
            List<String> selectFilter) {
        List<MetadataRule> rules = new ArrayList<>(MetadataRule.forSelect(List.of("!*.*")));
        rules.addAll(MetadataRule.forSelect(select));
        rules.addAll(metadataRules);
        rules.addAll(MetadataRule.forSelectFilter(selectFilter));
        return rules;
    }

    /** A copy of {@code catalog} with just these rules applied (Meltano's {@code MetadataExecutor}). */
    public static ObjectNode applyMetadataRules(ObjectNode catalog, List<MetadataRule> rules) {
        ObjectNode out = catalog.deepCopy();
        MetadataApplier.apply(out, rules);
        return out;
    }

    /** A copy of {@code catalog} with just these rules applied (Meltano's {@code SchemaExecutor}). */
    public static ObjectNode applySchemaRules(ObjectNode catalog, List<SchemaRule> rules) {
        ObjectNode out = catalog.deepCopy();
        SchemaApplier.apply(out, rules);
        return out;
    }

    /**
     * Meltano's warnings for rules that name a stream the catalog lacks, or a property its schema lacks
     * (up to the first part holding a {@code *}). Rules with a wildcard stream pattern, or several
     * patterns, are not checked. Each message once, in rule order.
     */
    public static List<String> warnings(ObjectNode catalog, List<MetadataRule> rules) {
        Map<String, JsonNode> streams = new LinkedHashMap<>();
        for (JsonNode stream : catalog.path("streams")) {
            if (stream.isObject()) {
                streams.putIfAbsent(CatalogWalk.streamId(stream), stream);
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (MetadataRule rule : rules) {
            List<String> patterns = rule.target().streamPatterns();
            if (patterns.size() != 1 || patterns.get(0).contains("*")) {
                continue;
            }
            String streamId = patterns.get(0);
            JsonNode stream = streams.get(streamId);
            if (stream == null) {
                out.add("Stream `" + streamId + "` was not found in the catalog");
                continue;
            }
            List<String> breadcrumb = rule.target().breadcrumb();
            List<String> path = new ArrayList<>();
            for (String part : breadcrumb) {
                if (part.contains("*")) {
                    break;
                }
                path.add(part);
            }
            if (path.size() <= 1) {
                continue;
            }
            JsonNode node = stream.path("schema");
            for (String part : path) {
                node = node.path(part);
            }
            if (node.isMissingNode() || node.isNull() || (node.isContainerNode() && node.isEmpty())) {
                out.add("Property `" + String.join(".", breadcrumb.subList(1, breadcrumb.size()))
                        + "` was not found in the schema of stream `" + streamId + "`");
            }
        }
        return List.copyOf(out);
    }

    /**
     * The selected properties of each selected stream, as Meltano lists them
     * ({@code ListSelectedExecutor.selected_properties}): a stream is dropped when its stream-level entry
     * is not {@link SelectionType#isSelected() selected}; a property is listed by its dotted path
     * ({@code payload.content}) when its entry is. A stream with no stream-level entry is kept.
     */
    public static Map<String, Set<String>> selectedProperties(ObjectNode catalog) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Set<String> deselected = new LinkedHashSet<>();
        for (JsonNode stream : catalog.path("streams")) {
            String streamId = CatalogWalk.streamId(stream);
            Set<String> props = new LinkedHashSet<>();
            out.put(streamId, props);
            for (JsonNode entry : stream.path("metadata")) {
                List<String> breadcrumb = CatalogWalk.breadcrumb(entry);
                if (breadcrumb == null) {
                    continue;
                }
                boolean selected = SelectionType.of(entry).isSelected();
                if (breadcrumb.isEmpty()) {
                    if (!selected) {
                        deselected.add(streamId);
                    }
                } else if (selected) {
                    props.add(pathProperty(String.join(".", breadcrumb)));
                }
            }
        }
        out.keySet().removeAll(deselected);
        return out;
    }

    /** The streams {@link #selectedProperties} keeps, in catalog order. */
    public static List<String> selectedStreams(ObjectNode catalog) {
        return List.copyOf(selectedProperties(catalog).keySet());
    }

    /**
     * The property named by a schema path (Meltano's {@code path_property}):
     * {@code stream[0].properties.list[2].properties.name} is {@code list[2].name}.
     */
    public static String pathProperty(String path) {
        List<String> parts = new ArrayList<>();
        Matcher m = PATH_PROPERTY.matcher(path);
        while (m.find()) {
            parts.add(m.group(1));
        }
        return String.join(".", parts);
    }
}
