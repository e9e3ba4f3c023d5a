package io.tapline.internal.runner.project;

import io.tapline.Pipeline;
import io.tapline.Tap;
import io.tapline.RunOptions;
import io.tapline.SingerPlugin;
import io.tapline.RetryPolicy;
import io.tapline.RunResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.spi.Secret;
import io.tapline.internal.protocol.airbyte.ConfiguredCatalog;
import io.tapline.internal.protocol.airbyte.ConfiguredCatalogBuilder;
import io.tapline.internal.protocol.catalog.CatalogSelection;
import io.tapline.internal.protocol.catalog.MetadataRule;
import io.tapline.internal.runner.pipeline.AirbyteConnector;
import io.tapline.internal.runner.process.CatalogCache;
import io.tapline.internal.runner.process.Discovery;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.SshPortForward;
import io.tapline.internal.runner.process.LaunchSpec;
import io.tapline.internal.runner.process.Launcher;
import io.tapline.internal.runner.process.Secrets;
import io.tapline.internal.runner.process.VirtualEnvs;
import io.tapline.spi.StateStore;
import io.tapline.internal.state.CustomStateStore;
import io.tapline.internal.state.StrategyStateStore;
import io.tapline.internal.state.StateBackends;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Meltano-style project ({@code meltano.yml}) as tapline runs it: the parsed configuration, plugins installed into
 * managed virtualenvs, pipelines built from an extractor and a loader, state in the project's state backend. The
 * public {@link io.tapline.Project} is a facade over this; the CLI uses this class directly because it also needs the
 * parsed configuration. Immutable; {@link #pipeline} and {@link #install} may install virtualenvs (guarded by a file
 * lock per venv) and run discovery, so they block. Owns no open resources ({@link #stateStore()} hands its backend to
 * the caller).
 */
public final class ProjectSession {
    private static final Logger log = LoggerFactory.getLogger(ProjectSession.class);
    private static final String SYSTEMDB = "systemdb";

    private final ProjectConfig config;
    private final Map<String, String> env;
    private final VirtualEnvs venvs;
    private final boolean refreshCatalog;

    private ProjectSession(ProjectConfig config, Map<String, String> env) {
        this(config, env, false);
    }

    private ProjectSession(ProjectConfig config, Map<String, String> env, boolean refreshCatalog) {
        this.config = config;
        this.refreshCatalog = refreshCatalog;
        this.env = Map.copyOf(env);
        String venvDir = env.get("TAPLINE_VENV_DIR");
        this.venvs = new VirtualEnvs(venvDir != null && !venvDir.isBlank() ? Path.of(venvDir)
                : config.root().resolve(".tapline/venvs"));
    }

    /** Opens {@code path}: a {@code meltano.yml} file or the folder holding one; env is the process's. */
    public static ProjectSession open(Path path) {
        return open(path, System.getenv());
    }

    public static ProjectSession open(Path path, Map<String, String> env) {
        return open(path, env, Optional.empty());
    }

    /**
     * Opens {@code path} with {@code environment} active (when empty: {@code MELTANO_ENVIRONMENT} in
     * {@code env}, else the project's {@code default_environment}, else none).
     */
    public static ProjectSession open(Path path, Map<String, String> env, Optional<String> environment) {
        Path file = Files.isDirectory(path) ? path.resolve("meltano.yml") : path;
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("no project file at " + file.toAbsolutePath());
        }
        return new ProjectSession(ProjectFile.load(file, env, PluginCatalog.bundled(), environment), env);
    }

    public ProjectConfig config() { return config; }

    /** This project, discovering catalogs again instead of using cached ones ({@code --refresh-catalog}). */
    public ProjectSession refreshCatalog(boolean refresh) {
        return new ProjectSession(config, env, refresh);
    }

    /** Where discovered catalogs are cached: {@code <project>/.tapline/run/<plugin>/tap.properties.json}. */
    public CatalogCache catalogCache() {
        return new CatalogCache(config.root().resolve(".tapline/run"));
    }

    /**
     * The extractor's catalog before any rule: its {@code catalog} extra's file, else the cached
     * discovery (when {@code use_cached_catalog} and the config are unchanged), else a new discovery.
     */
    public ObjectNode discoveredCatalog(String extractor) {
        PluginConfig p = config.plugin(PluginType.EXTRACTORS, extractor);
        return discovered(p, singerTap(p).build(), p.extras());
    }

    /** The catalog a run hands the extractor: {@link #discoveredCatalog} with the plugin's rules applied. */
    public ObjectNode catalog(String extractor) {
        PluginConfig p = config.plugin(PluginType.EXTRACTORS, extractor);
        return selectedCatalog(p, singerTap(p).build());
    }

    public Path root() { return config.root(); }

    /**
     * Opens the project's state backend: the one {@code state_backend.uri} names ({@code MELTANO_STATE_BACKEND_URI}
     * wins), found by its scheme among the backends on the class path ({@code file://}, {@code postgresql://}, ...),
     * with Meltano's {@code state_backend.*} settings from the environment, {@code .env} and {@code meltano.yml}.
     * Meltano's default {@code systemdb} is tapline's local default, {@code <project>/.tapline/state}. The backend
     * is checked with a round trip before this returns. The caller owns the backend and closes it.
     *
     * @throws io.tapline.spi.StateStoreException with {@code STATE_BACKEND_UNAVAILABLE} (exit 5) naming the masked URI
     *     when the backend cannot be reached or refuses the credentials
     * @throws ConfigException when the URI is malformed or no backend serves its scheme
     */
    public StateBackend stateStore() {
        return stateStore(config.stateBackendUri().orElse(SYSTEMDB));
    }

    /**
     * Opens the state backend {@code uri} names (e.g. {@code tapline state migrate --to}), with the project's
     * {@code state_backend.*} settings; as {@link #stateStore()}.
     */
    public StateBackend stateStore(String uri) {
        return StateBackends.open(stateBackendConfig(uri), ProjectSession.class.getClassLoader());
    }

    private StateBackendConfig stateBackendConfig(String uri) {
        URI parsed;
        if (uri.equals(SYSTEMDB)) {
            parsed = config.root().resolve(".tapline/state").toUri();
        } else {
            try {
                parsed = new URI(uri.replace(" ", "%20"));
            } catch (URISyntaxException e) {
                throw new ConfigException(io.tapline.spi.ErrorCode.CONFIG_INVALID, "state_backend.uri in " + config.file()
                        + " is not a valid URI (" + e.getReason() + ")"); // the URI may hold a secret: not shown
            }
            if (parsed.getScheme() == null) {
                throw new ConfigException(io.tapline.spi.ErrorCode.CONFIG_INVALID, "state_backend.uri in " + config.file()
                        + " has no scheme (expected systemdb, file://, s3://, gs://, azure:// or postgresql://)");
            }
        }
        Map<String, String> settings = config.stateBackend().settings();
        StateBackendConfig.Lease lease = new StateBackendConfig.Lease(
                seconds(settings, "lease_heartbeat_seconds").orElse(StateBackendConfig.Lease.DEFAULT.heartbeat()),
                seconds(settings, "lease_ttl_seconds").orElse(StateBackendConfig.Lease.DEFAULT.ttl()));
        return new StateBackendConfig(parsed, settings, env, config.root(), lease);
    }

    private Optional<java.time.Duration> seconds(Map<String, String> settings, String name) {
        String v = settings.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.Duration.ofMillis(Math.round(Double.parseDouble(v.trim()) * 1000)));
        } catch (NumberFormatException e) {
            throw new ConfigException(io.tapline.spi.ErrorCode.CONFIG_INVALID, "state_backend." + name + " in "
                    + config.file() + ": '" + v + "' is not a number of seconds");
        }
    }

    /** Installs the named plugins (all with a pip_url when {@code names} is empty). */
    public void install(List<String> names, boolean force) {
        for (PluginConfig p : config.plugins()) {
            if (p.remote().isPresent() && (names.isEmpty() || names.contains(p.name()))) {
                log.info("{} runs on {}: it is not installed here", p.name(), p.remote().get().endpoint().describe());
            } else if ((names.isEmpty() || names.contains(p.name())) && p.pipUrl().isPresent()) {
                venvs.install(p.name(), p.pipUrl().get(), python(p), force);
            } else if (names.contains(p.name())) {
                log.info("{} needs no installation ({})", p.name(), p.builtin() ? "built into tapline" : "no pip_url");
            }
        }
    }

    /** The state id Meltano would use: {@code <env>:<tap>-to-<target>[:<suffix>]}. */
    public String stateId(String extractor, String loader, RunOptions options) {
        List<String> parts = new ArrayList<>();
        options.environment().or(config::environment).ifPresent(parts::add);
        parts.add(extractor + "-to-" + loader);
        options.stateIdSuffix().or(config::stateIdSuffix).filter(s -> !s.isEmpty()).ifPresent(parts::add);
        for (String part : parts) {
            if (part.contains(":")) {
                throw new ConfigException("state id part '" + part + "' must not contain ':'");
            }
        }
        return String.join(":", parts);
    }

    /** Builds (installing and discovering as needed) the pipeline {@code extractor -> loader}. */
    public Pipeline pipeline(String extractor, String loader, RunOptions options) {
        return pipeline(extractor, List.of(), loader, stateId(extractor, loader, options), options);
    }

    /** As {@link #pipeline(String, String, RunOptions)} with an explicit state id ({@code el --state-id}). */
    public Pipeline pipeline(String extractor, String loader, String stateId, RunOptions options) {
        return pipeline(extractor, List.of(), loader, stateId, options);
    }

    /**
     * Builds the pipeline {@code extractor -> mappings... -> loader}, as {@code meltano run tap
     * mapping... target}: {@code mappings} are names from a mapper's {@code mappings}. A loader that is
     * not one of tapline's own targets runs as an external Singer target process. The state id does
     * not include the mappings (as in Meltano).
     */
    public Pipeline pipeline(String extractor, List<String> mappings, String loader, RunOptions options) {
        return pipeline(extractor, mappings, loader, stateId(extractor, loader, options), options);
    }

    private Pipeline pipeline(String extractor, List<String> mappings, String loader, String stateId,
            RunOptions options) {
        PluginConfig tapConfig = config.plugin(PluginType.EXTRACTORS, extractor);
        PluginConfig loaderConfig = config.plugin(PluginType.LOADERS, loader);
        StateStore store = stateStore(tapConfig, options); // first: an unreachable backend stops the run before any plugin starts
        Pipeline.Builder b = Pipeline.builder()
                .tap(tap(tapConfig))
                .stateStore(store)
                .stateId(stateId)
                .name(extractor + "-to-" + loader)
                .options(options.pipeline().retry().enabled() ? options.pipeline()
                        : options.pipeline().withRetry(tapConfig.runtime().retry().orElse(RetryPolicy.none())));
        for (String name : mappings) {
            b.mapper(mapper(name));
        }
        if (loaderConfig.builtin()) {
            b.target(Loaders.forLoader(loaderConfig.name(), loaderConfig.config(), config.root()));
        } else {
            b.singerTarget(runtime(loaderConfig, SingerPlugin.of(loaderConfig.name(), List.of(executable(loaderConfig)),
                    loaderConfig.config()).withEnvironment(loaderConfig.env()).withWorkingDirectory(config.root())));
        }
        return b.build();
    }

    /** A mapping's mapper process; its config is the mapper's with the mapping's config on top (Meltano). */
    private SingerPlugin mapper(String mappingName) {
        Map.Entry<PluginConfig, Mapping> found = config.mapping(mappingName);
        PluginConfig p = found.getKey();
        ObjectNode merged = p.config().deepCopy();
        merged.setAll(found.getValue().config());
        return runtime(p, SingerPlugin.of(p.name(), List.of(executable(p)), merged).withEnvironment(p.env())
                .withWorkingDirectory(config.root()));
    }

    /** The project's store as this run sees it: the extractor's {@code state} extra, the state strategy. */
    private StateStore stateStore(PluginConfig tap, RunOptions options) {
        StateStore store = StrategyStateStore.of(stateStore(), options.stateStrategy());
        Optional<Path> custom = tap.extras().state();
        return custom.<StateStore>map(f -> new CustomStateStore(store, f)).orElse(store);
    }

    private Tap tap(PluginConfig p) {
        if (p.airbyte()) {
            return airbyteTap(p);
        }
        Tap.Builder b = singerTap(p);
        Set<Tap.Capability> caps = b.build().capabilities();
        if (caps.contains(Tap.Capability.DISCOVER) && (caps.contains(Tap.Capability.CATALOG)
                || caps.contains(Tap.Capability.PROPERTIES))) {
            b.catalog(selectedCatalog(p, b.build()));
        } else if (!caps.contains(Tap.Capability.DISCOVER)) {
            log.info("{} does not declare the 'discover' capability: running it without a catalog", p.name());
        }
        return b.build();
    }

    /** A Singer tap for {@code p}, without its catalog. */
    private Tap.Builder singerTap(PluginConfig p) {
        Set<Tap.Capability> caps = EnumSet.noneOf(Tap.Capability.class);
        for (Tap.Capability c : Tap.Capability.values()) {
            if (p.has(c.name().toLowerCase(java.util.Locale.ROOT))) {
                caps.add(c);
            }
        }
        Tap.Builder b = Tap.singer(p.name()).command(List.of(executable(p))).config(p.config()).environment(p.env())
                .capabilities(caps).workingDirectory(config.root());
        runtime(p, b);
        p.remote().ifPresent(b::remote);
        p.tunnel().ifPresent(b::tunnel);
        return b;
    }

    /**
     * An Airbyte source. With the default selection ({@code *.*}) the run discovers and reads every
     * stream; otherwise the configured catalog is built here from {@code select} and {@code select_filter}.
     */
    private Tap airbyteTap(PluginConfig p) {
        Path saved = airbyteConfigFile(p.name());
        ObjectNode cfgNode = p.config().deepCopy();
        if (Files.isRegularFile(saved)) {
            try {
                // config values the connector updated (CONTROL) win over the project file's
                cfgNode.setAll((ObjectNode) new ObjectMapper().readTree(saved.toFile()));
            } catch (IOException | ClassCastException e) {
                throw new ConfigException("cannot read the saved connector config " + saved + ": "
                        + e.getClass().getSimpleName());
            }
        }
        Tap.Builder b = Tap.airbyte(p.name()).config(cfgNode).environment(p.env()).workingDirectory(config.root())
                .persistConfigTo(saved);
        runtime(p, b);
        p.remote().ifPresent(b::remote);
        p.tunnel().ifPresent(b::tunnel);
        if (p.image().isPresent()) {
            b.command(List.of()).docker(p.image().get());
        } else {
            b.command(List.of(executable(p)));
        }
        if (!p.select().equals(List.of("*.*")) || !p.selectFilter().isEmpty()) {
            try (PrivateFiles files = PrivateFiles.create("tapline-discover-");
                 SshPortForward forward = p.tunnel().map(t -> SshPortForward.open(t, "discovery of " + p.name()))
                         .orElse(null)) {
                Path cfg = files.write("config.json", new ObjectMapper().writeValueAsBytes(forward == null ? cfgNode
                        : p.tunnel().get().pointConfigAt(cfgNode, forward.localPort())));
                Tap unconfigured = b.build();
                ConfiguredCatalog catalog = ConfiguredCatalogBuilder.forCatalog(new AirbyteConnector(unconfigured).discover(cfg, files))
                        .select(p.select()).selectFilter(p.selectFilter()).build();
                log.info("{}: selected streams {}", p.name(), catalog.descriptors());
                b.catalog(catalog.json());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!p.metadata().isEmpty() || !p.schema().isEmpty()) {
            log.warn("{}: the metadata and schema extras are not applied to Airbyte sources yet", p.name());
        }
        return b.build();
    }

    /**
     * Where connector config updates (CONTROL messages) of an Airbyte source are kept:
     * {@code .tapline/airbyte-config/<name>.json}, applied over the project file's config on the next
     * run. {@code meltano.yml} itself is never rewritten (it holds comments and {@code $VAR}s).
     */
    public Path airbyteConfigFile(String extractor) {
        return config.root().resolve(".tapline/airbyte-config").resolve(extractor + ".json");
    }

    /** The named extractor as a {@link Tap}, installed but not discovered (for {@code tapline airbyte}). */
    public Tap airbyteSource(String extractor) {
        PluginConfig p = config.plugin(PluginType.EXTRACTORS, extractor);
        if (!p.airbyte()) {
            throw new ConfigException("extractor '" + extractor + "' is not an Airbyte source (set protocol: airbyte)");
        }
        return airbyteTap(p.withSelection(List.of("*.*"), List.of()));
    }

    private ObjectNode selectedCatalog(PluginConfig p, Tap tap) {
        PluginExtras extras = p.extras();
        ObjectNode discovered = discovered(p, tap, extras);
        // With a user-provided catalog Meltano applies only select_filter (CASES.md T5).
        ObjectNode selected = extras.catalog().isPresent()
                ? CatalogSelection.applyMetadataRules(discovered, MetadataRule.forSelectFilter(p.selectFilter()))
                : CatalogSelection.apply(discovered, p.schema(), p.select(), p.metadata(), p.selectFilter());
        log.info("{}: selected streams {}", p.name(), CatalogSelection.selectedStreams(selected));
        return selected;
    }

    private ObjectNode discovered(PluginConfig p, Tap tap, PluginExtras extras) {
        if (extras.catalog().isPresent()) {
            Path file = extras.catalog().get();
            try {
                if (new ObjectMapper().readTree(file.toFile()) instanceof ObjectNode obj && obj.path("streams").isArray()) {
                    return obj;
                }
                throw new ConfigException("catalog file " + file + " of " + p.name() + " has no \"streams\" array");
            } catch (IOException e) {
                throw new ConfigException("cannot read catalog file " + file + " of " + p.name() + ": " + e.getMessage());
            }
        }
        String key = CatalogCache.key(String.join(" ", tap.command()), p.config().toString(), p.schema().toString(),
                p.metadata().toString(), p.env().toString(), String.valueOf(tap.remote().isPresent()));
        return catalogCache().get(p.name(), key, refreshCatalog || !extras.useCachedCatalog(), () -> discover(p, tap));
    }

    private ObjectNode discover(PluginConfig p, Tap tap) {
        try (PrivateFiles files = PrivateFiles.create("tapline-discover-");
             SshPortForward forward = tap.tunnel().map(t -> SshPortForward.open(t, "discovery of " + p.name()))
                     .orElse(null)) {
            Path cfg = files.write("config.json", new ObjectMapper().writeValueAsBytes(forward == null ? tap.config()
                    : tap.tunnel().get().pointConfigAt(tap.config(), forward.localPort())));
            LaunchSpec spec = LaunchSpec.forTap(tap, LaunchSpec.Role.DISCOVERY, List.of("--config", cfg.toString(),
                    "--discover"), files.dir());
            return Discovery.discover(new Launcher(env), spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void runtime(PluginConfig p, Tap.Builder b) {
        secrets(p).forEach(b::secret);
        // p.env() (set by the caller) already holds the plugin's env: mapping, stacked as Meltano does
        b.environmentMode(p.runtime().inheritEnv() ? Tap.EnvironmentMode.INHERIT : Tap.EnvironmentMode.CLEAN);
        b.limits(p.runtime().limits());
    }

    /** The same launch policy settings as a tap's: secrets, clean or inherited environment, limits. */
    private static SingerPlugin runtime(PluginConfig p, SingerPlugin plugin) {
        return plugin.withSecrets(secrets(p))
                .withEnvironmentMode(p.runtime().inheritEnv() ? Tap.EnvironmentMode.INHERIT : Tap.EnvironmentMode.CLEAN)
                .withLimits(p.runtime().limits());
    }

    private static List<Secret> secrets(PluginConfig p) {
        return Secrets.forPlugin(p).toList();
    }

    /**
     * The plugin's command: on the remote host ({@code ssh.venv}'s bin/ or as written), else in its
     * managed virtualenv (installed first when it has a pip_url) or as given.
     */
    public String executable(PluginConfig p) {
        if (p.remote().isPresent()) {
            return p.remoteVenv().map(v -> v.replaceAll("/+$", "") + "/bin/" + p.executable()).orElse(p.executable());
        }
        if (p.pipUrl().isPresent()) {
            Path venv = venvs.install(p.name(), p.pipUrl().get(), python(p), false); // no-op when installed
            return venv.resolve("bin").resolve(p.executable()).toString();
        }
        Path exe = Path.of(p.executable());
        return (exe.isAbsolute() || !p.executable().contains("/") ? exe : config.root().resolve(exe)).toString();
    }

    private static String python(PluginConfig p) {
        return p.python().orElse("python3");
    }

}
