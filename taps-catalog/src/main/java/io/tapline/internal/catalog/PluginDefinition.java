package io.tapline.internal.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What tapline knows about a plugin before the project says anything: where to install it from and
 * what it can do (the role Meltano Hub plays for Meltano).
 *
 * @param builtin served by one of tapline's own Java targets (no process, nothing to install)
 */
public record PluginDefinition(PluginType type, String name, String variant, Optional<String> pipUrl,
        Optional<String> executable, Set<String> capabilities, List<SettingDefinition> settings, boolean builtin) {
    public PluginDefinition {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        requireNonNull(variant, "variant is null");
        capabilities = Set.copyOf(capabilities);
        settings = List.copyOf(settings);
    }
}
