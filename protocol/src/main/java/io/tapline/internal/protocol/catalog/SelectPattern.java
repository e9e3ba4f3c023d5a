package io.tapline.internal.protocol.catalog;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Meltano select pattern: {@code stream[.property[.sub...]]}, {@code !} to exclude, globs in both
 * parts, {@code \.} for a literal dot in the stream part. Splits on the first unescaped dot.
 */
public record SelectPattern(String streamPattern, Optional<String> propertyPattern, boolean negated, String raw) {
    private static final Pattern FIRST_UNESCAPED_DOT = Pattern.compile("(?<!\\\\)\\.");

    public static SelectPattern parse(String raw) {
        String p = raw;
        boolean negated = p.startsWith("!");
        if (negated) {
            p = p.substring(1);
        }
        String[] parts = FIRST_UNESCAPED_DOT.split(p, 2);
        String stream = parts[0].replace("\\.", ".");
        Optional<String> property = parts.length > 1 ? Optional.of(parts[1]) : Optional.empty();
        return new SelectPattern(stream, property, negated, raw);
    }
}
