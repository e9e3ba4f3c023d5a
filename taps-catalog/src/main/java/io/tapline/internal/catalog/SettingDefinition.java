package io.tapline.internal.catalog;

import static java.util.Objects.requireNonNull;

/**
 * A plugin setting: its name and Meltano {@code kind} ({@code string}, {@code integer}, {@code number},
 * {@code boolean}, {@code array}, {@code object}, {@code password}, ...). Values from environment
 * variables are cast to the kind.
 */
public record SettingDefinition(String name, String kind) {
    public SettingDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
    }

    /** {@code "port:integer"} or {@code "path"} (kind string). */
    public static SettingDefinition parse(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? new SettingDefinition(spec, "string")
                : new SettingDefinition(spec.substring(0, colon), spec.substring(colon + 1));
    }
}
