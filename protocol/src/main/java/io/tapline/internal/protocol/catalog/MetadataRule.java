package io.tapline.internal.protocol.catalog;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.tapline.spi.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Sets {@code key = value} on the catalog metadata nodes that {@code target} matches (Meltano's
 * {@code MetadataRule}). Built from the {@code select}, {@code metadata} and {@code select_filter}
 * extras by the {@code for*} factories, which produce the same rules, in the same order, as Meltano.
 *
 * @param target the streams and breadcrumbs the rule applies to
 * @param key the metadata key, e.g. {@code selected} or {@code replication-key}
 * @param value the value to set; copied into the catalog, never shared
 */
public record MetadataRule(CatalogRule target, String key, JsonNode value) {
    private static final JsonNode TRUE = BooleanNode.TRUE;
    private static final JsonNode FALSE = BooleanNode.FALSE;
    private static final Pattern UNESCAPED_DOT = Pattern.compile("(?<!\\\\)\\.");

    public MetadataRule {
        requireNonNull(target, "target is null");
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
    }

    public MetadataRule(String streamPattern, List<String> breadcrumb, String key, JsonNode value, boolean negated) {
        this(new CatalogRule(streamPattern, breadcrumb, negated), key, value);
    }

    public boolean matches(String streamId, List<String> nodeBreadcrumb) {
        return target.matches(streamId, nodeBreadcrumb);
    }

    /**
     * Rules for {@code select} patterns (Meltano's {@code select_metadata_rules}): every include rule,
     * then every exclude rule, so a {@code !pattern} wins over a positive one wherever it is listed.
     * {@code stream} selects like {@code stream.*}; {@code stream.a.b} also selects the stream and the
     * parent {@code a}; a {@code !} pattern deselects the stream itself only when its property part is
     * {@code *}.
     */
    public static List<MetadataRule> forSelect(List<String> patterns) {
        List<MetadataRule> include = new ArrayList<>();
        List<MetadataRule> exclude = new ArrayList<>();
        for (String raw : patterns) {
            SelectPattern p = SelectPattern.parse(raw);
            boolean selected = !p.negated();
            JsonNode value = selected ? TRUE : FALSE;
            List<MetadataRule> rules = selected ? include : exclude;
            String stream = p.streamPattern();
            String property = p.propertyPattern().orElse("");
            if (property.isEmpty()) {
                rules.add(new MetadataRule(stream, List.of(), "selected", value, false));
                rules.add(new MetadataRule(stream, propertyBreadcrumb(List.of("*")), "selected", value, false));
                continue;
            }
            if (selected || property.equals("*")) {
                rules.add(new MetadataRule(stream, List.of(), "selected", value, false));
            }
            List<String> props = Arrays.asList(property.split("\\.", -1));
            rules.add(new MetadataRule(stream, propertyBreadcrumb(props), "selected", value, false));
            if (selected) { // parents of a selected sub-property are selected too
                for (int depth = 1; depth < props.size(); depth++) {
                    rules.add(new MetadataRule(stream, propertyBreadcrumb(props.subList(0, depth)), "selected",
                            value, false));
                }
            }
        }
        include.addAll(exclude);
        return include;
    }

    /**
     * Rules for {@code select_filter} patterns (Meltano's {@code select_filter_metadata_rules}): one rule
     * deselecting the streams that match none of the plain patterns, then one deselecting the streams
     * that match a {@code !} pattern. Only stream nodes are touched, and only the stream part of a
     * pattern counts. No patterns, no rules.
     */
    public static List<MetadataRule> forSelectFilter(List<String> patterns) {
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        for (String raw : patterns) {
            SelectPattern p = SelectPattern.parse(raw);
            (p.negated() ? exclude : include).add(p.streamPattern());
        }
        List<MetadataRule> rules = new ArrayList<>();
        if (!include.isEmpty()) {
            rules.add(new MetadataRule(new CatalogRule(include, List.of(), true), "selected", FALSE));
        }
        if (!exclude.isEmpty()) {
            rules.add(new MetadataRule(new CatalogRule(exclude, List.of(), false), "selected", FALSE));
        }
        return rules;
    }

    /**
     * Rules for Meltano's {@code metadata} extra (its {@code config_metadata_rules}). The object is
     * flattened to dotted keys, so {@code {users: {replication-key: id}}}, {@code {users.replication-key: id}}
     * and {@code {users: {address: {city: {custom: x}}}}} all work; each key is then
     * {@code <stream>[.<prop>...].<key>}. Objects are never values, lists are; empty objects give no
     * rule. Unlike Meltano, {@code \.} is a literal dot in a stream or property name.
     *
     * @throws ConfigException if a key has no stream part
     */
    public static List<MetadataRule> forMetadata(JsonNode metadata) {
        Map<String, JsonNode> flat = new java.util.LinkedHashMap<>();
        flatten("", metadata, flat);
        List<MetadataRule> rules = new ArrayList<>();
        flat.forEach((dotted, value) -> {
            String[] parts = UNESCAPED_DOT.split(dotted, -1);
            if (parts.length < 2) {
                throw new ConfigException("metadata key '" + dotted
                        + "' names no stream: write <stream>.<key> or nest the key under the stream");
            }
            List<String> props = new ArrayList<>();
            for (int i = 1; i < parts.length - 1; i++) {
                props.add(unescape(parts[i]));
            }
            rules.add(new MetadataRule(unescape(parts[0]), propertyBreadcrumb(props), unescape(parts[parts.length - 1]),
                    value, false));
        });
        return rules;
    }

    /** {@code ["a","b"]} to {@code ["properties","a","properties","b"]} (Meltano's {@code property_breadcrumb}). */
    public static List<String> propertyBreadcrumb(List<String> props) {
        List<String> out = new ArrayList<>();
        for (String p : props) {
            out.add("properties");
            out.add(p);
        }
        return List.copyOf(out);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (!node.isObject()) {
            if (prefix.isEmpty()) {
                throw new ConfigException("the metadata extra must be an object, not " + node.getNodeType());
            }
            out.put(prefix, node);
            return;
        }
        for (var field : node.properties()) {
            flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out);
        }
    }

    private static String unescape(String part) {
        return part.replace("\\.", ".");
    }
}
