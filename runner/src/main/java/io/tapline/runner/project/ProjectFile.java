package io.tapline.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tapline.catalog.PluginCatalog;
import io.tapline.catalog.PluginDefinition;
import io.tapline.catalog.PluginType;
import io.tapline.catalog.SettingDefinition;
import io.tapline.protocol.catalog.MetadataRule;
import io.tapline.protocol.catalog.SchemaRule;
import io.tapline.protocol.ConfigException;
import io.tapline.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code meltano.yml}. Plugins that leave out {@code pip_url}, {@code executable} or
 * {@code capabilities} take them from the bundled catalog. Config strings and {@code pip_url}
 * expand {@code $VAR} and {@code ${VAR}}; a setting can be overridden from the environment as
 * {@code <PLUGIN_NAME>_<SETTING>} (upper case, non-alphanumerics as {@code _}), as in Meltano.
 */
public final class ProjectFile {
    private static final Logger log = LoggerFactory.getLogger(ProjectFile.class);
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private ProjectFile() {}

    public static ProjectConfig load(Path file, Map<String, String> env, PluginCatalog catalog) {
        Path abs = file.toAbsolutePath().normalize();
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(abs));
        } catch (IOException e) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "cannot read project file " + abs + ": "
                    + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "project file " + abs + " is not a YAML mapping");
        }
        List<PluginConfig> plugins = new ArrayList<>();
        JsonNode pluginsNode = root.path("plugins");
        pluginsNode.fieldNames().forEachRemaining(typeName -> {
            PluginType type = typeOf(typeName);
            if (type == null) {
                log.warn("{}: plugins of type '{}' are not supported by tapline and are ignored", abs, typeName);
                return;
            }
            for (JsonNode p : pluginsNode.path(typeName)) {
                plugins.add(plugin(type, p, env, catalog, abs));
            }
        });
        Optional<String> defaultEnv = root.hasNonNull("default_environment")
                ? Optional.of(root.get("default_environment").asText()) : Optional.empty();
        return new ProjectConfig(abs.getParent(), abs, defaultEnv, plugins);
    }

    private static PluginType typeOf(String name) {
        for (PluginType t : PluginType.values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
                return t;
            }
        }
        return null;
    }

    private static PluginConfig plugin(PluginType type, JsonNode p, Map<String, String> env, PluginCatalog catalog,
            Path file) {
        String name = p.path("name").asText("");
        if (name.isEmpty()) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, file + ": a " + type.singular() + " has no name");
        }
        Optional<String> variant = text(p, "variant");
        Optional<PluginDefinition> def = catalog.find(type, name, variant);
        Optional<String> pipUrl = text(p, "pip_url").or(() -> def.flatMap(PluginDefinition::pipUrl))
                .map(s -> expand(s, env));
        String executable = text(p, "executable").or(() -> def.flatMap(PluginDefinition::executable)).orElse(name);
        Set<String> capabilities = new HashSet<>();
        if (p.has("capabilities")) {
            p.path("capabilities").forEach(c -> capabilities.add(c.asText()));
        } else {
            def.ifPresent(d -> capabilities.addAll(d.capabilities()));
        }
        boolean builtin = text(p, "pip_url").isEmpty() && text(p, "executable").isEmpty()
                && (variant.map("tapline"::equals).orElse(false) || def.map(PluginDefinition::builtin).orElse(false));
        ObjectNode config = p.path("config") instanceof ObjectNode c ? expandAll(c, env) : JsonNodeFactory.instance.objectNode();
        applyEnvOverrides(name, config, def.map(PluginDefinition::settings).orElse(List.of()), env);
        List<String> select = new ArrayList<>();
        p.path("select").forEach(s -> select.add(s.asText()));
        List<MetadataRule> metadata = p.path("metadata").isObject() ? MetadataRule.forMetadata(p.path("metadata")) : List.of();
        List<String> selectFilter = new ArrayList<>();
        p.path("select_filter").forEach(s -> selectFilter.add(s.asText()));
        List<SchemaRule> schema = p.path("schema").isObject() ? SchemaRule.forSchema(p.path("schema")) : List.of();
        boolean airbyte = airbyte(p, name, file) || AirbyteSettings.isTapAirbyte(config);
        Optional<io.tapline.runner.process.DockerLauncher> image = airbyte
                ? AirbyteSettings.launcher(p, config, env, file, name) : Optional.empty();
        if (airbyte) {
            config = AirbyteSettings.connectorConfig(config);
        }
        return new PluginConfig(type, name, variant.or(() -> def.map(PluginDefinition::variant)), pipUrl, executable,
                text(p, "python"), config, select.isEmpty() ? List.of("*.*") : select, metadata, selectFilter, schema,
                capabilities, builtin, airbyte, image);
    }

    /** {@code protocol: airbyte} marks an Airbyte source; {@code singer}, the default, a Singer tap. */
    private static boolean airbyte(JsonNode p, String name, Path file) {
        String protocol = text(p, "protocol").orElse("singer").toLowerCase(Locale.ROOT);
        return switch (protocol) {
            case "singer" -> false;
            case "airbyte" -> true;
            default -> throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, file + ": plugin '" + name
                    + "' has protocol '" + protocol + "'; expected singer or airbyte");
        };
    }

    /**
     * {@code TAP_JSONL_PATH=...} overrides setting {@code path} of {@code tap-jsonl}. The text is cast
     * to the setting's kind (from the catalog, else the type of the value it replaces).
     */
    private static void applyEnvOverrides(String plugin, ObjectNode config, List<SettingDefinition> knownSettings,
            Map<String, String> env) {
        Map<String, String> kinds = new java.util.LinkedHashMap<>();
        knownSettings.forEach(s -> kinds.put(s.name(), s.kind()));
        config.properties().forEach(e -> kinds.putIfAbsent(e.getKey(), kindOf(e.getValue())));
        kinds.forEach((setting, kind) -> {
            String var = envName(plugin) + "_" + envName(setting);
            String value = env.get(var);
            if (value != null) {
                config.set(setting, cast(value, kind, plugin, setting, var));
            }
        });
    }

    private static String kindOf(JsonNode v) {
        if (v.isIntegralNumber()) {
            return "integer";
        } else if (v.isNumber()) {
            return "number";
        } else if (v.isBoolean()) {
            return "boolean";
        } else if (v.isArray()) {
            return "array";
        } else if (v.isObject()) {
            return "object";
        }
        return "string";
    }

    /** Meltano's casts; the message never shows the value, which may be a secret. */
    private static JsonNode cast(String value, String kind, String plugin, String setting, String var) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        try {
            return switch (kind) {
                case "integer" -> f.numberNode(Long.parseLong(value.trim()));
                case "number", "decimal" -> f.numberNode(new java.math.BigDecimal(value.trim()));
                case "boolean" -> f.booleanNode(truthy(value));
                case "array", "object" -> new ObjectMapper().readTree(value);
                default -> f.textNode(value);
            };
        } catch (NumberFormatException | IOException e) {
            throw new ConfigException("setting '" + setting + "' of " + plugin + " from $" + var
                    + " is not a valid " + kind);
        }
    }

    private static boolean truthy(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "t", "on" -> true;
            default -> false;
        };
    }

    /** Meltano's env-var spelling: upper case, every non-alphanumeric as {@code _}. */
    public static String envName(String s) {
        return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static ObjectNode expandAll(ObjectNode node, Map<String, String> env) {
        ObjectNode out = node.deepCopy();
        expandInPlace(out, env);
        return out;
    }

    private static void expandInPlace(JsonNode node, Map<String, String> env) {
        if (node instanceof ObjectNode obj) {
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                if (e.getValue().isTextual()) {
                    obj.set(e.getKey(), TextNode.valueOf(expand(e.getValue().asText(), env)));
                } else {
                    expandInPlace(e.getValue(), env);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode v = node.get(i);
                if (v.isTextual()) {
                    ((com.fasterxml.jackson.databind.node.ArrayNode) node).set(i, TextNode.valueOf(expand(v.asText(), env)));
                } else {
                    expandInPlace(v, env);
                }
            }
        }
    }

    /** Expands {@code $VAR} and {@code ${VAR}}; unset variables expand to the empty string, as in Meltano. */
    public static String expand(String s, Map<String, String> env) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        Matcher m = VAR.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(sb, Matcher.quoteReplacement(env.getOrDefault(name, "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static Optional<String> text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
