package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The extractor extras that replace what tapline would otherwise work out: {@code catalog} (a
 * user-provided catalog file, used instead of discovery), {@code use_cached_catalog} (default true)
 * and {@code state} (a state file the tap starts from instead of the stored state). Their values come
 * from the settings model like any other extra ({@code <PLUGIN>__CATALOG}, {@code .env}, the active
 * environment, {@code meltano.yml}, the parent plugin); relative paths resolve against the project folder.
 */
public record PluginExtras(Optional<Path> catalog, boolean useCachedCatalog, Optional<Path> state) {
    public PluginExtras {
        java.util.Objects.requireNonNull(catalog, "catalog is null");
        java.util.Objects.requireNonNull(state, "state is null");
    }

    /** No catalog file, cached catalogs used, the stored state. */
    public static PluginExtras none() {
        return new PluginExtras(Optional.empty(), true, Optional.empty());
    }

    static PluginExtras from(PluginSettings settings, Path root) {
        return new PluginExtras(path(settings, "_catalog", root),
                settings.get("_use_cached_catalog").flatMap(PluginSettings.Value::value).map(JsonNode::asBoolean)
                        .orElse(true),
                path(settings, "_state", root));
    }

    private static Optional<Path> path(PluginSettings settings, String extra, Path root) {
        return settings.get(extra).flatMap(PluginSettings.Value::value).map(JsonNode::asText)
                .filter(s -> !s.isBlank()).map(root::resolve);
    }
}
