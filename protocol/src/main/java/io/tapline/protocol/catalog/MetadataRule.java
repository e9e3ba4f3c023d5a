package io.tapline.protocol.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * Sets {@code key = value} on the catalog metadata nodes whose stream id and breadcrumb match
 * (Meltano's {@code MetadataRule}). With {@code negated} the stream test is inverted.
 */
public record MetadataRule(String streamPattern, List<String> breadcrumb, String key, Object value, boolean negated) {
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
                    exclude.add(new MetadataRule(p.streamPattern(), List.of(), "selected", false, false));
                }
                exclude.add(new MetadataRule(p.streamPattern(), propertyBreadcrumb(props, props.length), "selected",
                        false, false));
            } else {
                include.add(new MetadataRule(p.streamPattern(), List.of(), "selected", true, false));
                for (int i = 1; i <= props.length; i++) { // parents of a sub-property are selected too
                    include.add(new MetadataRule(p.streamPattern(), propertyBreadcrumb(props, i), "selected", true, false));
                }
            }
        }
        include.addAll(exclude);
        return include;
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
