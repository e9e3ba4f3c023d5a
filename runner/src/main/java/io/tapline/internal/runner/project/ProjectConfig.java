package io.tapline.internal.runner.project;

import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code meltano.yml}: the subset tapline acts on.
 *
 * @param environment the active Meltano environment, if any
 * @param stateIdSuffix the active environment's {@code state_id_suffix}, expanded
 * @param stateBackend Meltano's {@code state_backend} settings, the URI among them ({@code MELTANO_STATE_BACKEND_*} win)
 */
public record ProjectConfig(Path root, Path file, Optional<String> defaultEnvironment, List<PluginConfig> plugins,
        Optional<String> environment, Optional<String> stateIdSuffix, StateBackendSettings stateBackend) {
    public ProjectConfig {
        plugins = List.copyOf(plugins);
        java.util.Objects.requireNonNull(stateBackend, "stateBackend is null");
    }

    /** Meltano's {@code state_backend.uri}, if set. */
    public Optional<String> stateBackendUri() {
        return stateBackend.uri();
    }

    public PluginConfig plugin(PluginType type, String name) {
        return plugins.stream().filter(p -> p.type() == type && p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException(ErrorCode.PLUGIN_UNKNOWN,
                        type.singular() + " '" + name + "' is not defined in " + file));
    }

    /** The plugin {@code name}, of whichever type defines it. */
    public PluginConfig plugin(String name) {
        return plugins.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException(ErrorCode.PLUGIN_UNKNOWN, "plugin '" + name
                        + "' is not defined in " + file));
    }

    /**
     * The mapper that defines mapping {@code name}, with that mapping: a run names mappings, not
     * mapper plugins (as in Meltano).
     */
    public Map.Entry<PluginConfig, Mapping> mapping(String name) {
        for (PluginConfig p : plugins(PluginType.MAPPERS)) {
            for (Mapping m : p.mappings()) {
                if (m.name().equals(name)) {
                    return Map.entry(p, m);
                }
            }
        }
        boolean isMapperName = plugins(PluginType.MAPPERS).stream().anyMatch(p -> p.name().equals(name));
        throw new ConfigException(ErrorCode.PLUGIN_UNKNOWN, isMapperName
                ? "'" + name + "' is a mapper plugin; name one of its mappings instead (" + file + ")"
                : "no mapper in " + file + " has a mapping named '" + name + "'");
    }

    public List<PluginConfig> plugins(PluginType type) {
        return plugins.stream().filter(p -> p.type() == type).toList();
    }
}
