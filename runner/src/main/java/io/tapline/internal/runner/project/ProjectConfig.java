package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code meltano.yml}: the subset tapline acts on, read once (with its {@code include_paths}).
 *
 * @param environment the active Meltano environment, if any
 * @param stateIdSuffix the active environment's {@code state_id_suffix}, expanded
 * @param stateBackend Meltano's {@code state_backend} settings, the URI among them ({@code MELTANO_STATE_BACKEND_*} win)
 * @param jobs Meltano's {@code jobs:}
 * @param taplineSection the {@code tapline:} section as written (missing when absent); parsed by the
 *     ops package, which owns its meaning, so the project file is still read only once
 * @param catalogPlugins the bundled catalog's plugin names, for suggestions when a name is unknown
 */
public record ProjectConfig(Path root, Path file, Optional<String> defaultEnvironment, List<PluginConfig> plugins,
        Optional<String> environment, Optional<String> stateIdSuffix, StateBackendSettings stateBackend,
        ProjectJobs jobs, JsonNode taplineSection, Map<PluginType, List<String>> catalogPlugins) {
    public ProjectConfig {
        plugins = List.copyOf(plugins);
        java.util.Objects.requireNonNull(stateBackend, "stateBackend is null");
        taplineSection = taplineSection.deepCopy();
        catalogPlugins = Map.copyOf(catalogPlugins);
    }

    /** Meltano's {@code state_backend.uri}, if set. */
    public Optional<String> stateBackendUri() {
        return stateBackend.uri();
    }

    /** The {@code tapline:} section; a copy, so this record stays immutable. */
    @Override
    public JsonNode taplineSection() { return taplineSection.deepCopy(); }

    public PluginConfig plugin(PluginType type, String name) {
        return plugins.stream().filter(p -> p.type() == type && p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException(ErrorCode.PLUGIN_UNKNOWN, type.singular() + " '" + name
                        + "' is not defined in " + file + suggestion(name, Optional.of(type))));
    }

    /** The plugin {@code name}, of whichever type defines it. */
    public PluginConfig plugin(String name) {
        return plugins.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException(ErrorCode.PLUGIN_UNKNOWN, "plugin '" + name
                        + "' is not defined in " + file + suggestion(name, Optional.empty())));
    }

    /**
     * The did-you-mean for an unknown plugin: the closest project plugin names (of {@code type} when
     * given, and mapping names), else the closest catalog names, which then need adding to the project.
     */
    public String suggestion(String unknown, Optional<PluginType> type) {
        List<String> project = new ArrayList<>();
        for (PluginConfig p : plugins) {
            if (type.isEmpty() || type.get() == p.type()) {
                project.add(p.name());
            }
            if (type.isEmpty() || type.get() == PluginType.MAPPERS) {
                p.mappings().forEach(m -> project.add(m.name()));
            }
        }
        String near = DidYouMean.suggest(unknown, project);
        if (!near.isEmpty()) {
            return near;
        }
        List<String> catalog = new ArrayList<>();
        catalogPlugins.forEach((t, names) -> {
            if (type.isEmpty() || type.get() == t) {
                catalog.addAll(names);
            }
        });
        near = DidYouMean.suggest(unknown, catalog);
        return near.isEmpty() ? "" : near.replace("?)", "? it is in tapline's catalog; add it to the project file first)");
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
                : "no mapper in " + file + " has a mapping named '" + name + "'"
                        + suggestion(name, Optional.of(PluginType.MAPPERS)));
    }

    public List<PluginConfig> plugins(PluginType type) {
        return plugins.stream().filter(p -> p.type() == type).toList();
    }
}
