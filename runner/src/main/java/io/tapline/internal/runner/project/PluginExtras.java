package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The extractor extras that replace what tapline would otherwise work out: {@code catalog} (a
 * user-provided catalog file, used instead of discovery), {@code use_cached_catalog} (default true)
 * and {@code state} (a state file the tap starts from instead of the stored state). Read from the
 * plugin's entry in {@code meltano.yml}; {@code <PLUGIN>__CATALOG}, {@code <PLUGIN>__USE_CACHED_CATALOG}
 * and {@code <PLUGIN>__STATE} override them, as Meltano's extras do.
 */
public record PluginExtras(Optional<Path> catalog, boolean useCachedCatalog, Optional<Path> state) {
    public static PluginExtras load(ProjectConfig project, PluginType type, String plugin, Map<String, String> env) {
        JsonNode entry = entry(project.file(), type, plugin);
        String prefix = ProjectFile.envName(plugin) + "__";
        Optional<String> catalog = Optional.ofNullable(env.get(prefix + "CATALOG"))
                .or(() -> text(entry.get("catalog"))).filter(s -> !s.isBlank()).map(s -> ProjectFile.expand(s, env));
        String cached = Optional.ofNullable(env.get(prefix + "USE_CACHED_CATALOG"))
                .or(() -> text(entry.get("use_cached_catalog"))).orElse("true");
        Optional<String> state = Optional.ofNullable(env.get(prefix + "STATE"))
                .or(() -> text(entry.get("state"))).filter(s -> !s.isBlank()).map(s -> ProjectFile.expand(s, env));
        return new PluginExtras(catalog.map(s -> project.root().resolve(s)),
                !switch (cached.trim().toLowerCase(Locale.ROOT)) {
                    case "false", "0", "no", "n", "f", "off" -> true;
                    default -> false;
                }, state.map(s -> project.root().resolve(s)));
    }

    private static Optional<String> text(JsonNode v) {
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private static JsonNode entry(Path file, PluginType type, String plugin) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
            if (root != null) {
                for (JsonNode p : root.path("plugins").path(type.name().toLowerCase(Locale.ROOT))) {
                    if (p.path("name").asText("").equals(plugin)) {
                        return p;
                    }
                }
            }
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        } catch (IOException e) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "cannot read project file " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
