package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginDefinition;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Meltano's configuration layers for the plugins of one project in one environment. A setting's
 * value comes from the first layer that has one: the environment (the process's variables and the
 * {@code env:} mappings), {@code .env}, the active environment's plugin config, the plugin's
 * config in meltano.yml, the parent plugin ({@code inherit_from}), the setting's default.
 *
 * <p>The {@code env:} mappings stack as Meltano documents: terminal, top-level {@code env:},
 * environment {@code env:}, plugin {@code env:}, environment-level plugin {@code env:}; each may
 * refer to the value below it ({@code STACKED: ${STACKED}2}).
 */
final class SettingsResolver {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** tapline's own plugin keys, as extras; unlike Meltano's extras they are not exported to the plugin. */
    static final Set<String> TAPLINE_EXTRAS = Set.of("_protocol", "_retry", "_ssh", "_ssh_tunnel", "_image",
            "_container", "_executable", "_python", "_inherit_env", "_limits");

    private final ObjectNode tree;
    private final Path file;
    private final PluginCatalog catalog;
    private final Map<String, String> terminal;
    private final Map<String, String> dotenv;
    private final Optional<String> environmentName;
    private final JsonNode environment;
    private final Map<String, String> topDelta;
    private final Map<String, String> environmentDelta;
    private final Map<String, String> projectChain;
    private final Map<String, Resolved> done = new HashMap<>();

    SettingsResolver(ObjectNode tree, Path file, PluginCatalog catalog, Map<String, String> terminal,
            Optional<String> environmentName, boolean mustExist) {
        this.tree = tree;
        this.file = file;
        this.catalog = catalog;
        this.terminal = Map.copyOf(terminal);
        this.dotenv = DotEnv.read(file.getParent().resolve(".env"));
        this.environmentName = environmentName;
        this.environment = environmentName.map(n -> findEnvironment(n, mustExist)).orElse(F.missingNode());
        Map<String, String> chain = new HashMap<>(dotenv);
        chain.putAll(terminal);
        chain.put("MELTANO_PROJECT_ROOT", file.getParent().toString());
        chain.put("MELTANO_ENVIRONMENT", environmentName.orElse(""));
        this.topDelta = stack(chain, tree.path("env"));
        this.environmentDelta = stack(chain, environment.path("env"));
        this.projectChain = chain;
    }

    /**
     * A {@code default_environment} without an {@code environments} entry is an empty environment
     * (it still names the state id); one the user asked for by name must exist.
     */
    private JsonNode findEnvironment(String name, boolean mustExist) {
        for (JsonNode e : tree.path("environments")) {
            if (name.equals(e.path("name").asText())) {
                return e;
            }
        }
        if (!mustExist) {
            return F.objectNode();
        }
        throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "environment '" + name + "' is not defined in "
                + file);
    }

    /** Applies one {@code env:} mapping onto {@code chain}; returns what it set, expanded. */
    private static Map<String, String> stack(Map<String, String> chain, JsonNode layer) {
        Map<String, String> delta = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : layer.properties()) {
            String v = EnvVars.expand(e.getValue().isTextual() ? e.getValue().asText() : EnvVars.render(e.getValue()), chain);
            delta.put(e.getKey(), v);
            chain.put(e.getKey(), v);
        }
        return delta;
    }

    /** Variables for expanding project-level strings (pip_url, state_id_suffix). */
    Map<String, String> projectEnv() { return Map.copyOf(projectChain); }

    Optional<String> environmentName() { return environmentName; }

    JsonNode environmentNode() { return environment; }

    JsonNode rawPlugin(PluginType type, String name) {
        for (JsonNode p : tree.path("plugins").path(type.name().toLowerCase(Locale.ROOT))) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return null;
    }

    /** Everything tapline knows about project plugin {@code name}. */
    Resolved resolve(PluginType type, String name) {
        String key = type + ":" + name;
        Resolved r = done.get(key);
        if (r == null) {
            JsonNode node = rawPlugin(type, name);
            if (node == null) {
                throw new ConfigException(ErrorCode.PLUGIN_UNKNOWN, type.singular() + " '" + name
                        + "' is not defined in " + file);
            }
            if (done.containsKey(key + "#resolving")) {
                throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, file + ": inherit_from loops through '" + name + "'");
            }
            done.put(key + "#resolving", null);
            r = new Resolved(type, (ObjectNode) node, false);
            done.remove(key + "#resolving");
            done.put(key, r);
        }
        return r;
    }

    /** A plugin definition from a lock file or the bundled catalog, before any project config. */
    record BaseDefinition(String name, Optional<String> namespace, Optional<String> variant, Optional<String> pipUrl,
            Optional<String> executable, Optional<Set<String>> capabilities, List<SettingSpec> settings,
            boolean builtin, Map<String, JsonNode> extras, Optional<String> protocol) {}

    private Optional<BaseDefinition> base(PluginType type, String name, Optional<String> variant) {
        Optional<BaseDefinition> lock = lockFile(type, name, variant);
        if (lock.isPresent()) {
            return lock;
        }
        return catalog.find(type, name, variant).map(d -> fromCatalog(d));
    }

    private static BaseDefinition fromCatalog(PluginDefinition d) {
        List<SettingSpec> settings = d.settings().stream().map(s -> new SettingSpec(s.name(), s.kind(),
                s.defaultValue(), s.sensitive(), s.env(), s.aliases(), false)).toList();
        Map<String, JsonNode> extras = new LinkedHashMap<>(d.extras());
        if (!d.select().isEmpty()) {
            ArrayNode select = F.arrayNode();
            d.select().forEach(select::add);
            extras.put("select", select);
        }
        d.metadata().ifPresent(m -> extras.put("metadata", m));
        return new BaseDefinition(d.name(), d.namespace(), Optional.of(d.variant()), d.pipUrl(), d.executable(),
                Optional.of(d.capabilities()), settings, d.builtin(), extras, Optional.empty());
    }

    /** Meltano's {@code plugins/<type>/<name>--<variant>.lock}: the plugin's Hub definition, pinned. */
    private Optional<BaseDefinition> lockFile(PluginType type, String name, Optional<String> variant) {
        Path dir = file.getParent().resolve("plugins").resolve(type.name().toLowerCase(Locale.ROOT));
        Path exact = variant.map(v -> dir.resolve(name + "--" + v + ".lock")).orElse(null);
        Path found = exact != null && Files.isRegularFile(exact) ? exact : null;
        if (found == null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, name + "--*.lock")) {
                for (Path p : s) {
                    found = p;
                    break;
                }
            } catch (IOException e) {
                throw new ConfigException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        if (found == null && Files.isRegularFile(dir.resolve(name + ".lock"))) {
            found = dir.resolve(name + ".lock");
        }
        if (found == null) {
            return Optional.empty();
        }
        try {
            JsonNode lock = new ObjectMapper().readTree(found.toFile());
            List<SettingSpec> settings = new ArrayList<>();
            lock.path("settings").forEach(s -> settings.add(SettingSpec.fromYaml(s)));
            Set<String> caps = new LinkedHashSet<>();
            lock.path("capabilities").forEach(c -> caps.add(c.asText()));
            Map<String, JsonNode> extras = new LinkedHashMap<>();
            for (String extra : List.of("dialect", "target_schema", "select", "select_filter", "metadata", "schema")) {
                if (lock.hasNonNull(extra)) {
                    extras.put(extra, lock.get(extra));
                }
            }
            return Optional.of(new BaseDefinition(name, text(lock, "namespace"), text(lock, "variant"),
                    text(lock, "pip_url"), text(lock, "executable"),
                    lock.has("capabilities") ? Optional.of(caps) : Optional.empty(), settings, false, extras,
                    Optional.empty()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // never the parser's message: it quotes the text, and a setting's default may be a secret
            com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "lock file " + found
                    + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr()) + " is not valid JSON");
        } catch (IOException e) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "cannot read lock file " + found + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private static Optional<String> text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    /** One plugin with every layer applied. */
    final class Resolved {
        final PluginType type;
        final String name;
        final ObjectNode node;
        final JsonNode envNode;
        final Optional<Resolved> parent;
        final Optional<BaseDefinition> base;
        final String namespace;
        final Optional<String> variant;
        final Optional<String> pipUrl;
        final String executable;
        final Set<String> capabilities;
        final boolean builtin;
        final Map<String, SettingSpec> settings = new LinkedHashMap<>();
        final Map<String, String> chain;
        final Map<String, String> envStore;
        final Map<String, String> pluginEnvDelta = new LinkedHashMap<>();
        final Map<String, PluginSettings.Value> values = new LinkedHashMap<>();

        Resolved(PluginType type, ObjectNode node, boolean synthetic) {
            this.type = type;
            this.name = node.path("name").asText("");
            if (name.isEmpty()) {
                throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, file + ": a " + type.singular() + " has no name");
            }
            this.node = node;
            this.envNode = synthetic ? F.missingNode() : environmentPlugin(type, name);
            Optional<String> inherit = text(node, "inherit_from");
            if (inherit.isPresent()) {
                JsonNode parentNode = rawPlugin(type, inherit.get());
                if (parentNode != null) {
                    this.parent = Optional.of(resolve(type, inherit.get()));
                } else {
                    ObjectNode stub = F.objectNode().put("name", inherit.get());
                    text(node, "variant").ifPresent(v -> stub.put("variant", v));
                    this.parent = Optional.of(new Resolved(type, stub, true));
                }
                this.base = Optional.empty();
            } else {
                this.parent = Optional.empty();
                // Custom, as in Meltano: its own executable or namespace and no pip_url; run as given, never
                // installed from (nor configured by) a catalog definition that happens to share its name
                boolean custom = (node.hasNonNull("executable") || node.hasNonNull("namespace")) && !node.hasNonNull("pip_url");
                this.base = custom ? lockFile(type, name, text(node, "variant")) : base(type, name, text(node, "variant"));
            }
            this.namespace = text(node, "namespace")
                    .or(() -> inherit.isPresent() ? Optional.empty() : base.flatMap(BaseDefinition::namespace))
                    .orElse(name.replace('-', '_'));
            this.variant = text(node, "variant").or(() -> parent.flatMap(p -> p.variant))
                    .or(() -> base.flatMap(BaseDefinition::variant));
            this.executable = text(node, "executable").or(() -> parent.map(p -> p.executable))
                    .or(() -> base.flatMap(BaseDefinition::executable)).orElse(name);
            Set<String> caps = new LinkedHashSet<>();
            if (node.has("capabilities")) {
                node.path("capabilities").forEach(c -> caps.add(c.asText()));
            } else if (parent.isPresent()) {
                caps.addAll(parent.get().capabilities);
            } else {
                base.flatMap(BaseDefinition::capabilities).ifPresent(caps::addAll);
            }
            this.capabilities = Set.copyOf(caps);
            this.builtin = text(node, "pip_url").isEmpty() && text(node, "executable").isEmpty()
                    && (text(node, "variant").map("tapline"::equals).orElse(false)
                        || parent.map(p -> p.builtin).orElse(base.map(BaseDefinition::builtin).orElse(false)));

            // The env: stacks. The invocation chain: project chain, then plugin, then environment-level plugin.
            this.chain = new HashMap<>(projectChain);
            chain.put("MELTANO_" + type.singular().toUpperCase(Locale.ROOT) + "_NAME", name);
            chain.put("MELTANO_" + type.singular().toUpperCase(Locale.ROOT) + "_NAMESPACE", namespace);
            variant.ifPresent(v -> chain.put("MELTANO_" + type.singular().toUpperCase(Locale.ROOT) + "_VARIANT", v));
            Map<String, String> pluginDelta = stack(chain, node.path("env"));
            Map<String, String> envPluginDelta = stack(chain, envNode.path("env"));
            pluginEnvDelta.putAll(topDelta);
            pluginEnvDelta.putAll(environmentDelta);
            pluginEnvDelta.putAll(pluginDelta);
            pluginEnvDelta.putAll(envPluginDelta);
            // Settings read from the environment see the env: mappings in Meltano's store order.
            this.envStore = new HashMap<>(terminal);
            envStore.putAll(topDelta);
            envStore.putAll(pluginDelta);
            envStore.putAll(environmentDelta);
            envStore.putAll(envPluginDelta);

            this.pipUrl = text(node, "pip_url").map(u -> EnvVars.expand(u, projectChain))
                    .or(() -> parent.flatMap(p -> p.pipUrl)).or(() -> base.flatMap(BaseDefinition::pipUrl));

            parent.ifPresent(p -> settings.putAll(p.settings));
            base.ifPresent(b -> b.settings().forEach(s -> settings.put(s.name(), s)));
            node.path("settings").forEach(s -> {
                SettingSpec spec = SettingSpec.fromYaml(s);
                settings.put(spec.name(), spec);
            });
            for (JsonNode config : List.of(node.path("config"), envNode.path("config"))) {
                config.properties().forEach(e -> {
                    if (!coveredBySetting(e.getKey())) {
                        settings.put(e.getKey(), SettingSpec.custom(e.getKey(), kindOf(e.getValue())));
                    }
                });
            }
            for (SettingSpec s : settings.values()) {
                values.put(s.name(), value(s));
            }
            for (SettingSpec extra : extras()) {
                values.put(extra.name(), value(extra));
            }
        }

        private boolean coveredBySetting(String key) {
            if (settings.containsKey(key)) {
                return true;
            }
            String prefix = key + ".";
            return settings.keySet().stream().anyMatch(s -> s.startsWith(prefix));
        }

        private JsonNode environmentPlugin(PluginType type, String name) {
            for (JsonNode p : environment.path("config").path("plugins").path(type.name().toLowerCase(Locale.ROOT))) {
                if (name.equals(p.path("name").asText())) {
                    return p;
                }
            }
            return F.missingNode();
        }

        /** Reading names: the custom {@code env:} (unless inherited), then the name and namespace prefixes, aliases. */
        List<String> readVariables(SettingSpec s) {
            Set<String> out = new LinkedHashSet<>();
            if (parent.isEmpty()) {
                s.env().ifPresent(out::add);
            }
            for (String prefix : List.of(name, namespace)) {
                out.add(EnvVars.name(prefix, s.name()));
                s.aliases().forEach(a -> out.add(EnvVars.name(prefix, a)));
            }
            return List.copyOf(out);
        }

        /** Names the value is exported under: custom env, own prefixes, the parent's, then {@code MELTANO_<VERB>_}. */
        List<String> writeVariables(SettingSpec s) {
            Set<String> out = new LinkedHashSet<>();
            s.env().ifPresent(out::add);
            for (String prefix : writePrefixes()) {
                out.add(EnvVars.name(prefix, s.name()));
            }
            out.add(EnvVars.name("meltano", verb(type), s.name()));
            return List.copyOf(out);
        }

        List<String> writePrefixes() {
            List<String> out = new ArrayList<>(List.of(name, namespace));
            parent.ifPresent(p -> out.addAll(p.writePrefixes()));
            return out;
        }

        private PluginSettings.Value value(SettingSpec s) {
            for (String var : readVariables(s)) {
                if (envStore.containsKey(var)) {
                    return found(s, cast(name, envStore.get(var), s, "$" + var), SettingSource.ENV, Optional.of(var));
                }
            }
            for (String var : readVariables(s)) {
                if (dotenv.containsKey(var)) {
                    return found(s, cast(name, dotenv.get(var), s, "$" + var + " in .env"), SettingSource.DOTENV, Optional.of(var));
                }
            }
            String key = s.extra() ? s.extraKey() : null;
            JsonNode fromEnvironment = key != null ? envNode.path(key) : lookup(envNode.path("config"), s.name());
            if (!fromEnvironment.isMissingNode()) {
                return fromYaml(s, fromEnvironment, SettingSource.MELTANO_ENVIRONMENT);
            }
            JsonNode fromYml = key != null ? node.path(key) : lookup(node.path("config"), s.name());
            if (!fromYml.isMissingNode()) {
                return fromYaml(s, fromYml, SettingSource.MELTANO_YML);
            }
            if (parent.isPresent()) {
                PluginSettings.Value inherited = parent.get().values.get(s.name());
                // Defaults are not inherited as values: namespace-derived ones (_load_schema) follow the child.
                if (inherited != null && inherited.value().isPresent()
                        && inherited.source().orElse(SettingSource.DEFAULT) != SettingSource.DEFAULT) {
                    return found(s, inherited.value().get(), SettingSource.INHERITED, Optional.empty());
                }
            }
            return s.defaultValue().map(d -> fromYaml(s, d, SettingSource.DEFAULT))
                    .orElseGet(() -> new PluginSettings.Value(s, Optional.empty(), Optional.empty(), Optional.empty(),
                            readVariables(s), writeVariables(s)));
        }

        private PluginSettings.Value fromYaml(SettingSpec s, JsonNode raw, SettingSource source) {
            if (raw.isNull()) {
                return new PluginSettings.Value(s, Optional.empty(), Optional.empty(), Optional.empty(), readVariables(s), writeVariables(s));
            }
            if (source == SettingSource.DEFAULT && s.extra() && raw.isTextual()) {
                return found(s, raw, source, Optional.empty()); // expanded with the settings' variables, in settings()
            }
            JsonNode v = expandAll(raw);
            if (raw.isTextual() && !raw.asText().isEmpty() && v.asText().isEmpty()) {
                // "$MISSING" is no value at all, so a lower layer or the default applies (Meltano gives None).
                return new PluginSettings.Value(s, Optional.empty(), Optional.empty(), Optional.empty(), readVariables(s), writeVariables(s));
            }
            if (v.isTextual() && !"string".equals(s.kind())) {
                v = cast(name, v.asText(), s, source.description());
            }
            return found(s, v, source, Optional.empty());
        }

        private PluginSettings.Value found(SettingSpec s, JsonNode v, SettingSource source, Optional<String> var) {
            return new PluginSettings.Value(s, Optional.of(v), Optional.of(source), var, readVariables(s), writeVariables(s));
        }

        private JsonNode expandAll(JsonNode v) {
            if (v.isTextual()) {
                return TextNode.valueOf(EnvVars.expand(v.asText(), chain));
            } else if (v.isObject()) {
                ObjectNode out = F.objectNode();
                v.properties().forEach(e -> out.set(e.getKey(), expandAll(e.getValue()))); // keys are never expanded
                return out;
            } else if (v.isArray()) {
                ArrayNode out = F.arrayNode();
                v.forEach(x -> out.add(expandAll(x)));
                return out;
            }
            return v;
        }

        /**
         * The extras: Meltano's ({@code _select}, {@code _load_schema}, ...) and tapline's own plugin keys
         * ({@code ssh}, {@code retry}, {@code limits}, ...), so every layer applies to them alike: an
         * environment may override them, {@code inherit_from} children inherit them and
         * {@code <PLUGIN>__<KEY>} (JSON for mappings and lists) overrides them from the environment.
         * An object-valued extra is replaced whole by a higher layer, never merged key by key.
         */
        private List<SettingSpec> extras() {
            List<SettingSpec> out = new ArrayList<>();
            switch (type) {
                case EXTRACTORS -> {
                    out.add(extra("_select", "array", baseExtra("select", F.arrayNode().add("*.*"))));
                    out.add(extra("_select_filter", "array", baseExtra("select_filter", F.arrayNode())));
                    out.add(extra("_metadata", "object", baseExtra("metadata", F.objectNode())));
                    out.add(extra("_schema", "object", baseExtra("schema", F.objectNode())));
                    out.add(extra("_catalog", "string", null));
                    out.add(extra("_state", "string", null));
                    out.add(extra("_load_schema", "string", TextNode.valueOf(namespace)));
                    out.add(extra("_use_cached_catalog", "boolean", F.booleanNode(true)));
                    out.add(extra("_log_parser", "string", TextNode.valueOf("singer-sdk")));
                    // tapline's own: how the extractor runs (ProjectFile parses them into records)
                    out.add(extra("_protocol", "string", TextNode.valueOf("singer")));
                    out.add(extra("_retry", "object", null));
                    // sensitive: they may hold an SSH passphrase, so config list redacts them
                    out.add(SettingSpec.extra("_ssh", "object", Optional.empty()).asSensitive());
                    out.add(SettingSpec.extra("_ssh_tunnel", "object", Optional.empty()).asSensitive());
                    out.add(extra("_image", "string", null));
                    out.add(extra("_container", "object", null));
                }
                case LOADERS -> {
                    out.add(extra("_dialect", "string", baseExtra("dialect", TextNode.valueOf(namespace))));
                    out.add(extra("_target_schema", "string", baseExtra("target_schema", null)));
                    out.add(extra("_log_parser", "string", TextNode.valueOf("singer-sdk")));
                }
                case MAPPERS -> out.add(extra("_log_parser", "string", TextNode.valueOf("singer-sdk")));
            }
            // tapline's own, for every plugin process
            out.add(extra("_executable", "string", TextNode.valueOf(executable)));
            out.add(extra("_python", "string", null));
            out.add(extra("_inherit_env", "boolean", F.booleanNode(false)));
            out.add(extra("_limits", "object", null));
            return out;
        }

        /** An extra's default from the plugin's definition (a lock file may pin {@code select}), else {@code otherwise}. */
        private JsonNode baseExtra(String key, JsonNode otherwise) {
            Optional<BaseDefinition> def = base.isPresent() ? base : parent.flatMap(p -> p.base);
            JsonNode v = def.map(b -> b.extras().get(key)).orElse(null);
            return v != null ? v : otherwise;
        }

        private SettingSpec extra(String name, String kind, JsonNode defaultValue) {
            return SettingSpec.extra(name, kind, Optional.ofNullable(defaultValue));
        }

        /** Where the invocation chain plus the settings' own variables are visible (extras refer to settings). */
        Map<String, String> chainWithSettings() {
            Map<String, String> out = new HashMap<>(chain);
            values.values().forEach(v -> v.value().ifPresent(x -> v.writeVariables().forEach(n -> out.put(n, EnvVars.render(x)))));
            return out;
        }

        PluginSettings settings() {
            // Extras given as strings may refer to settings' variables ($TARGET_X_DEFAULT_TARGET_SCHEMA).
            Map<String, String> withSettings = chainWithSettings();
            List<PluginSettings.Value> all = new ArrayList<>();
            for (PluginSettings.Value v : values.values()) {
                if (v.extra() && v.value().isPresent() && v.value().get().isTextual()) {
                    v = new PluginSettings.Value(v.spec(), Optional.of(TextNode.valueOf(
                            EnvVars.expand(v.value().get().asText(), withSettings))), v.source(), v.fromVariable(),
                            v.readVariables(), v.writeVariables());
                }
                all.add(v);
            }
            Map<String, String> env = new LinkedHashMap<>();
            dotenv.forEach((k, v) -> {
                if (!terminal.containsKey(k)) {
                    env.put(k, v);
                }
            });
            env.putAll(pluginEnvDelta);
            String singular = type.singular().toUpperCase(Locale.ROOT);
            env.put("MELTANO_PROJECT_ROOT", file.getParent().toString());
            env.put("MELTANO_ENVIRONMENT", environmentName.orElse(""));
            env.put("MELTANO_" + singular + "_NAME", name);
            env.put("MELTANO_" + singular + "_NAMESPACE", namespace);
            variant.ifPresent(v -> env.put("MELTANO_" + singular + "_VARIANT", v));
            for (PluginSettings.Value v : all) {
                if (v.value().isEmpty() || TAPLINE_EXTRAS.contains(v.spec().name())) {
                    continue; // tapline's own keys are for tapline, not the plugin (ssh holds a passphrase)
                }
                JsonNode value = v.value().get();
                // Meltano keeps meltano.yml's nested config as dotted settings, so it exports such objects dotted.
                boolean fromYaml = v.source().filter(x -> x == SettingSource.MELTANO_YML
                        || x == SettingSource.MELTANO_ENVIRONMENT || x == SettingSource.INHERITED).isPresent();
                String rendered = !v.extra() && value.isObject() && fromYaml ? EnvVars.render(dotted(value))
                        : EnvVars.render(value);
                for (String var : v.writeVariables()) {
                    env.put(var, rendered);
                }
                if (value.isObject()) {
                    for (String var : v.writeVariables()) {
                        flatten(var, value, env);
                    }
                }
            }
            return new PluginSettings(all, env);
        }

        /** The config file the plugin gets: every setting with a value; dotted names become nested objects. */
        ObjectNode config() {
            ObjectNode out = F.objectNode();
            for (PluginSettings.Value v : values.values()) {
                if (v.extra() || v.value().isEmpty()) {
                    continue;
                }
                ObjectNode at = out;
                String[] path = v.spec().name().split("\\.");
                for (int i = 0; i < path.length - 1; i++) {
                    at = at.get(path[i]) instanceof ObjectNode o ? o : at.putObject(path[i]);
                }
                at.set(path[path.length - 1], v.value().get());
            }
            return out;
        }
    }

    /** Meltano also exports an object's leaves: {@code TAP_X__METADATA___REPLICATION_METHOD}. */
    private static void flatten(String prefix, JsonNode object, Map<String, String> env) {
        object.properties().forEach(e -> {
            String var = EnvVars.name(prefix, e.getKey());
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(var, v, env);
            } else if (!v.isNull()) {
                env.put(var, EnvVars.render(v));
            }
        });
    }

    /**
     * An object setting as Meltano exports it: nested keys joined with dots
     * ({@code {"issues.__filter__": ...}}), since Meltano stores nested config as dotted settings.
     */
    private static ObjectNode dotted(JsonNode object) {
        ObjectNode out = F.objectNode();
        dotted("", object, out);
        return out;
    }

    private static void dotted(String prefix, JsonNode object, ObjectNode out) {
        object.properties().forEach(e -> {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject() && !e.getValue().isEmpty()) {
                dotted(key, e.getValue(), out);
            } else {
                out.set(key, e.getValue());
            }
        });
    }

    private static JsonNode lookup(JsonNode config, String name) {
        if (config.has(name)) {
            return config.get(name);
        }
        JsonNode at = config;
        for (String part : name.split("\\.")) {
            at = at.path(part);
        }
        return at;
    }

    static String verb(PluginType type) {
        return switch (type) {
            case EXTRACTORS -> "extract";
            case LOADERS -> "load";
            case MAPPERS -> "map";
        };
    }

    static String kindOf(JsonNode v) {
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
    private JsonNode cast(String plugin, String value, SettingSpec s, String source) {
        try {
            return switch (s.kind()) {
                case "integer" -> F.numberNode(Long.parseLong(value.trim()));
                case "number", "decimal" -> F.numberNode(new java.math.BigDecimal(value.trim()));
                case "boolean" -> F.booleanNode(truthy(value));
                case "array", "object" -> new ObjectMapper().readTree(value);
                default -> TextNode.valueOf(value);
            };
        } catch (NumberFormatException | IOException e) {
            throw new ConfigException(ErrorCode.CONFIG_INVALID, "setting '" + s.name() + "' of " + plugin + " from "
                    + source + " (project " + file + ") is not a valid " + s.kind());
        }
    }

    private static boolean truthy(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "t", "on" -> true;
            default -> false;
        };
    }
}
