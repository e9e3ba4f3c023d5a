package io.tapline.protocol.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Sets {@code key = value} on the catalog metadata nodes whose stream id and breadcrumb match
 * (Meltano's {@code MetadataRule}). With {@code negated} the stream test is inverted.
 */
public record MetadataRule(String streamPattern, List<String> breadcrumb, String key, JsonNode value, boolean negated) {
    private static final JsonNode TRUE = BooleanNode.TRUE;
    private static final JsonNode FALSE = BooleanNode.FALSE;

    public MetadataRule {
        breadcrumb = List.copyOf(breadcrumb);
    }

    public boolean matches(String streamId, List<String> nodeBreadcrumb) {
        boolean streamMatch = Glob.compile(streamPattern).matcher(streamId).matches();
        if (streamMatch == negated) {
            return false;
        }
        return Glob.compile(String.join(".", breadcrumb)).matcher(String.join(".", nodeBreadcrumb)).matches();
    }

    /** Rules for {@code select} patterns: every include rule, then every exclude rule. */
    public static List<MetadataRule> forSelect(List<String> patterns) {
        List<MetadataRule> include = new ArrayList<>();
        List<MetadataRule> exclude = new ArrayList<>();
        for (String raw : patterns) {
            SelectPattern p = SelectPattern.parse(raw);
            String property = p.propertyPattern().orElse("*");
            String[] props = property.split("\\.");
            if (p.negated()) {
                if (property.equals("*")) {
                    exclude.add(new MetadataRule(p.streamPattern(), List.of(), "selected", FALSE, false));
                }
                exclude.add(new MetadataRule(p.streamPattern(), propertyBreadcrumb(props, props.length), "selected",
                        FALSE, false));
            } else {
                include.add(new MetadataRule(p.streamPattern(), List.of(), "selected", TRUE, false));
                for (int i = 1; i <= props.length; i++) { // parents of a sub-property are selected too
                    include.add(new MetadataRule(p.streamPattern(), propertyBreadcrumb(props, i), "selected", TRUE, false));
                }
            }
        }
        include.addAll(exclude);
        return include;
    }

    /**
     * Rules for Meltano's {@code metadata} extra: {@code {<stream pattern>: {<key>: <value>, <property>: {<key>: <value>}}}}.
     * Scalar values apply to the stream's root node; an object value applies its entries to that property.
     */
    public static List<MetadataRule> forMetadata(JsonNode metadata) {
        List<MetadataRule> rules = new ArrayList<>();
        for (var entity : metadata.properties()) {
            SelectPattern p = SelectPattern.parse(entity.getKey());
            String[] props = p.propertyPattern().map(s -> s.split("\\.")).orElse(new String[0]);
            List<String> base = propertyBreadcrumb(props, props.length);
            for (var kv : entity.getValue().properties()) {
                if (kv.getValue().isObject()) {
                    List<String> bc = new ArrayList<>(base);
                    bc.add("properties");
                    bc.add(kv.getKey());
                    kv.getValue().properties().forEach(e -> rules.add(new MetadataRule(p.streamPattern(), bc, e.getKey(),
                            e.getValue(), false)));
                } else {
                    rules.add(new MetadataRule(p.streamPattern(), base, kv.getKey(), kv.getValue(), false));
                }
            }
        }
        return rules;
    }

    /** {@code ["a","b"]} to {@code ["properties","a","properties","b"]}. */
    public static List<String> propertyBreadcrumb(String[] path, int depth) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            out.add("properties");
            out.add(path[i]);
        }
        return out;
    }

}
