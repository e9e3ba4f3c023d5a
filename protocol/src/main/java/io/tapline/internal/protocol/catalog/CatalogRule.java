package io.tapline.internal.protocol.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Which catalog nodes a rule applies to (Meltano's {@code CatalogRule}): stream ids matching any of
 * {@code streamPatterns}, and a breadcrumb matching {@code breadcrumb}. Both are {@link Glob}s; a
 * breadcrumb is compared as the {@code .}-join of its parts, so {@code *} spans nesting levels.
 * {@code negated} inverts the stream test only: the breadcrumb must still match.
 *
 * @param streamPatterns globs for {@code tap_stream_id}; the stream matches if any matches
 * @param breadcrumb glob parts; {@code []} is the stream's own node
 * @param negated whether the rule applies to the streams that match none of the patterns
 */
public record CatalogRule(List<String> streamPatterns, List<String> breadcrumb, boolean negated) {
    public CatalogRule {
        streamPatterns = List.copyOf(streamPatterns);
        breadcrumb = List.copyOf(breadcrumb);
    }

    /** A rule for one stream pattern. */
    public CatalogRule(String streamPattern, List<String> breadcrumb, boolean negated) {
        this(List.of(requireNonNull(streamPattern, "streamPattern is null")), breadcrumb, negated);
    }

    /** Whether the stream matches, whatever the breadcrumb ({@code match(tap_stream_id)} with no breadcrumb). */
    public boolean matches(String streamId) {
        boolean any = false;
        for (String pattern : streamPatterns) {
            if (Glob.matches(pattern, streamId)) {
                any = true;
                break;
            }
        }
        return any != negated;
    }

    /** Whether the stream and the node's breadcrumb both match. */
    public boolean matches(String streamId, List<String> nodeBreadcrumb) {
        return matches(streamId) && Glob.matches(String.join(".", breadcrumb), String.join(".", nodeBreadcrumb));
    }
}
