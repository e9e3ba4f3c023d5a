package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import io.tapline.internal.protocol.catalog.MetadataRule;
import io.tapline.internal.protocol.catalog.SchemaRule;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code meltano.yml} (with its {@code include_paths}) into {@link ProjectConfig}: each plugin
 * with its definition (lock file, parent plugin or the bundled catalog) and its settings resolved
 * through Meltano's layers in the active environment (see {@link SettingsResolver}).
 */
public final class ProjectFile {
    private static final Logger log = LoggerFactory.getLogger(ProjectFile.class);

    private ProjectFile() {}

    /** Loads {@code file} in the environment {@code MELTANO_ENVIRONMENT} or {@code default_environment} names. */
    public static ProjectConfig load(Path file, Map<String, String> env, PluginCatalog catalog) {
        return load(file, env, catalog, Optional.empty());
    }

    /**
     * Loads {@code file} with {@code environment} active (an empty name: no environment); when not
     * given, the one {@code MELTANO_ENVIRONMENT} names, else the project's {@code default_environment}.
     */
    public static ProjectConfig load(Path file, Map<String, String> env, PluginCatalog catalog,
            Optional<String> environment) {
        Path abs = file.toAbsolutePath().normalize();
        ObjectNode root = ProjectTree.read(abs);
        Optional<String> defaultEnv = root.hasNonNull("default_environment")
                ? Optional.of(root.get("default_environment").asText()) : Optional.empty();
        // An explicit empty name means no environment (Meltano's --no-environment).
        Optional<String> active = environment.isPresent() ? environment.filter(e -> !e.isBlank())
                : Optional.ofNullable(env.get("MELTANO_ENVIRONMENT")).filter(e -> !e.isBlank()).or(() -> defaultEnv);
        boolean named = environment.filter(e -> !e.isBlank()).isPresent()
                || Optional.ofNullable(env.get("MELTANO_ENVIRONMENT")).filter(e -> !e.isBlank()).isPresent();
        // Meltano's hub settings: definitions from that Hub's API, the bundled catalog when it cannot be reached
        PluginCatalog hub = catalog.withHub(Optional.ofNullable(env.get("MELTANO_HUB_API_ROOT")).or(() -> text(root, "hub_api_root")),
                Optional.ofNullable(env.get("MELTANO_HUB_URL")).or(() -> text(root, "hub_url")));
        SettingsResolver resolver = new SettingsResolver(root, abs, hub, env, active, named);
        List<PluginConfig> plugins = new ArrayList<>();
        JsonNode pluginsNode = root.path("plugins");
        pluginsNode.fieldNames().forEachRemaining(typeName -> {
            PluginType type = typeOf(typeName);
            if (type == null) {
                log.warn("{}: plugins of type '{}' are not supported by tapline and are ignored", abs, typeName);
                return;
            }
            for (JsonNode p : pluginsNode.path(typeName)) {
                plugins.add(plugin(resolver.resolve(type, p.path("name").asText("")), abs, resolver.projectEnv()));
            }
        });
        Optional<String> stateIdSuffix = text(resolver.environmentNode(), "state_id_suffix")
                .map(s -> EnvVars.expand(s, resolver.projectEnv()));
        StateBackendSettings stateBackend = StateBackendSettings.resolve(root.path("state_backend"), resolver.projectEnv());
        Map<PluginType, List<String>> catalogNames = new java.util.EnumMap<>(PluginType.class);
        catalog.all().forEach(d -> d.type().runnable().ifPresent(type ->
                catalogNames.computeIfAbsent(type, t -> new ArrayList<>()).add(d.name())));
        catalogNames.replaceAll((t, names) -> List.copyOf(names));
        return new ProjectConfig(abs.getParent(), abs, defaultEnv, plugins, active, stateIdSuffix, stateBackend,
                ProjectJobs.parse(root, abs), root.path("tapline"), catalogNames);
    }

    private static PluginType typeOf(String name) {
        for (PluginType t : PluginType.values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
                return t;
            }
        }
        return null;
    }

    /**
     * The plugin's records, parsed once here from the settings model: every tapline key ({@code ssh},
     * {@code retry}, {@code limits}, {@code image}, ...) is an extra, so it is read from the resolved
     * settings and never from the plugin's raw entry.
     */
    private static PluginConfig plugin(SettingsResolver.Resolved r, Path file, Map<String, String> env) {
        SshSettings ssh = new SshSettings(r.name, file);
        PluginSettings settings = r.settings();
        List<String> select = strings(settings, "_select");
        List<String> selectFilter = strings(settings, "_select_filter");
        JsonNode metadataNode = extra(settings, "_metadata").orElse(null);
        JsonNode schemaNode = extra(settings, "_schema").orElse(null);
        List<MetadataRule> metadata = metadataNode != null && metadataNode.isObject()
                ? MetadataRule.forMetadata(metadataNode) : List.of();
        List<SchemaRule> schema = schemaNode != null && schemaNode.isObject() ? SchemaRule.forSchema(schemaNode) : List.of();
        ObjectNode config = r.config();
        boolean airbyte = airbyte(extra(settings, "_protocol"), r.name, file) || AirbyteSettings.isTapAirbyte(config);
        Optional<io.tapline.ContainerImage> image = airbyte
                ? AirbyteSettings.launcher(extra(settings, "_image"), extra(settings, "_container"), config, env, file,
                        r.name)
                : Optional.empty();
        if (airbyte) {
            config = AirbyteSettings.connectorConfig(config);
        }
        Optional<JsonNode> sshBlock = extra(settings, "_ssh");
        String executable = extra(settings, "_executable").map(JsonNode::asText).filter(s -> !s.isBlank())
                .orElse(r.executable);
        Optional<String> python = extra(settings, "_python").map(JsonNode::asText).filter(s -> !s.isBlank());
        return new PluginConfig(r.type, r.name, r.variant, r.pipUrl, executable, python, config,
                select.isEmpty() && r.type == PluginType.EXTRACTORS ? List.of("*.*") : select, metadata, selectFilter,
                schema, r.capabilities, r.builtin, airbyte, r.namespace, settings,
                ssh.remote(sshBlock), ssh.remoteVenv(sshBlock), ssh.tunnel(extra(settings, "_ssh_tunnel")),
                PluginRuntime.from(settings, r.pluginEnvDelta, r.name, file),
                mappings(r.node, r.chain, r.name, file), image, PluginExtras.from(settings, file.getParent()));
    }

    /** An extra's resolved value; empty when no layer set one (an explicit {@code null} included). */
    private static Optional<JsonNode> extra(PluginSettings settings, String name) {
        return settings.get(name).flatMap(PluginSettings.Value::value).filter(v -> !v.isNull());
    }

    private static List<String> strings(PluginSettings settings, String extra) {
        List<String> out = new ArrayList<>();
        settings.get(extra).flatMap(PluginSettings.Value::value).ifPresent(v -> v.forEach(x -> out.add(x.asText())));
        return out;
    }

    /** A mapper's {@code mappings: [{name, config}]}; config strings expand {@code $VAR} with the mapper's env. */
    private static List<Mapping> mappings(JsonNode p, Map<String, String> env, String plugin, Path file) {
        List<Mapping> out = new ArrayList<>();
        for (JsonNode m : p.path("mappings")) {
            String name = m.path("name").asText("");
            if (name.isEmpty()) {
                throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, file + ": a mapping of mapper '" + plugin
                        + "' has no name");
            }
            out.add(new Mapping(name, m.path("config") instanceof ObjectNode c ? expandAll(c, env)
                    : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()));
        }
        return out;
    }

    /** {@code protocol: airbyte} marks an Airbyte source; {@code singer}, the default, a Singer tap. */
    private static boolean airbyte(Optional<JsonNode> extra, String name, Path file) {
        String protocol = extra.map(JsonNode::asText).orElse("singer").toLowerCase(Locale.ROOT);
        return switch (protocol) {
            case "singer" -> false;
            case "airbyte" -> true;
            default -> throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, file + ": plugin '" + name
                    + "' has protocol '" + protocol + "'; expected singer or airbyte");
        };
    }

    /** Meltano's env-var spelling: upper case, every non-alphanumeric as {@code _}. */
    public static String envName(String s) {
        return EnvVars.name(s);
    }

    /** Expands {@code $VAR} and {@code ${VAR}} as Meltano does; see {@link EnvVars#expand}. */
    public static String expand(String s, Map<String, String> env) {
        return EnvVars.expand(s, env);
    }

    private static ObjectNode expandAll(ObjectNode node, Map<String, String> env) {
        ObjectNode out = node.objectNode();
        node.properties().forEach(e -> out.set(e.getKey(), expandValue(e.getValue(), env)));
        return out;
    }

    private static JsonNode expandValue(JsonNode v, Map<String, String> env) {
        if (v.isTextual()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(EnvVars.expand(v.asText(), env));
        } else if (v instanceof ObjectNode o) {
            return expandAll(o, env);
        } else if (v.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            v.forEach(x -> out.add(expandValue(x, env)));
            return out;
        }
        return v;
    }

    private static Optional<String> text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }
}
