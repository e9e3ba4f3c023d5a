package io.tapline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.catalog.PluginCatalog;
import io.tapline.catalog.PluginType;
import io.tapline.protocol.ConfigException;
import io.tapline.protocol.airbyte.ConfiguredCatalog;
import io.tapline.protocol.airbyte.ConfiguredCatalogBuilder;
import io.tapline.protocol.catalog.CatalogSelection;
import io.tapline.runner.pipeline.AirbyteRun;
import io.tapline.runner.process.Discovery;
import io.tapline.runner.process.PrivateFiles;
import io.tapline.runner.process.VirtualEnvs;
import io.tapline.runner.project.Loaders;
import io.tapline.runner.project.PluginConfig;
import io.tapline.runner.project.ProjectConfig;
import io.tapline.runner.project.ProjectFile;
import io.tapline.state.file.FileStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Meltano-style project ({@code meltano.yml}) as tapline runs it: plugins installed into managed
 * virtualenvs, pipelines built from an extractor and a loader, state under {@code .tapline/state}.
 */
public final class Project {
    private static final Logger log = LoggerFactory.getLogger(Project.class);

    private final ProjectConfig config;
    private final Map<String, String> env;
    private final VirtualEnvs venvs;

    private Project(ProjectConfig config, Map<String, String> env) {
        this.config = config;
        this.env = Map.copyOf(env);
        String venvDir = env.get("TAPLINE_VENV_DIR");
        this.venvs = new VirtualEnvs(venvDir != null && !venvDir.isBlank() ? Path.of(venvDir)
                : config.root().resolve(".tapline/venvs"));
    }

    /** Opens {@code path}: a {@code meltano.yml} file or the folder holding one; env is the process's. */
    public static Project open(Path path) {
        return open(path, System.getenv());
    }

    public static Project open(Path path, Map<String, String> env) {
        Path file = Files.isDirectory(path) ? path.resolve("meltano.yml") : path;
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("no project file at " + file.toAbsolutePath());
        }
        return new Project(ProjectFile.load(file, env, PluginCatalog.bundled()), env);
    }

    public ProjectConfig config() { return config; }

    public Path root() { return config.root(); }

    /** Where state lives: {@code <project>/.tapline/state}, Meltano's file layout. */
    public FileStateStore stateStore() {
        return FileStateStore.at(config.root().resolve(".tapline/state"));
    }

    /** Installs the named plugins (all with a pip_url when {@code names} is empty). */
    public void install(List<String> names, boolean force) {
        for (PluginConfig p : config.plugins()) {
            if ((names.isEmpty() || names.contains(p.name())) && p.pipUrl().isPresent()) {
                venvs.install(p.name(), p.pipUrl().get(), python(p), force);
            } else if (names.contains(p.name())) {
                log.info("{} needs no installation ({})", p.name(), p.builtin() ? "built into tapline" : "no pip_url");
            }
        }
    }

    /** The state id Meltano would use: {@code <env>:<tap>-to-<target>[:<suffix>]}. */
    public String stateId(String extractor, String loader, RunOptions options) {
        List<String> parts = new ArrayList<>();
        options.environment().or(config::defaultEnvironment).ifPresent(parts::add);
        parts.add(extractor + "-to-" + loader);
        options.stateIdSuffix().ifPresent(parts::add);
        for (String part : parts) {
            if (part.contains(":")) {
                throw new ConfigException("state id part '" + part + "' must not contain ':'");
            }
        }
        return String.join(":", parts);
    }

    /** Builds (installing and discovering as needed) the pipeline {@code extractor -> loader}. */
    public Pipeline pipeline(String extractor, String loader, RunOptions options) {
        PluginConfig tapConfig = config.plugin(PluginType.EXTRACTORS, extractor);
        PluginConfig loaderConfig = config.plugin(PluginType.LOADERS, loader);
        Tap tap = tap(tapConfig);
        return Pipeline.builder()
                .tap(tap)
                .target(target(loaderConfig))
                .stateStore(stateStore())
                .stateId(stateId(extractor, loader, options))
                .name(extractor + "-to-" + loader)
                .options(options.pipeline())
                .build();
    }

    private Tap tap(PluginConfig p) {
        List<String> command = List.of(executable(p).toString());
        if (p.airbyte()) {
            return airbyteTap(p, command);
        }
        Set<Tap.Capability> caps = EnumSet.noneOf(Tap.Capability.class);
        for (Tap.Capability c : Tap.Capability.values()) {
            if (p.has(c.name().toLowerCase(java.util.Locale.ROOT))) {
                caps.add(c);
            }
        }
        Tap.Builder b = Tap.singer(p.name()).command(command).config(p.config()).capabilities(caps)
                .workingDirectory(config.root());
        if (caps.contains(Tap.Capability.DISCOVER) && (caps.contains(Tap.Capability.CATALOG)
                || caps.contains(Tap.Capability.PROPERTIES))) {
            b.catalog(selectedCatalog(p, command));
        } else if (!caps.contains(Tap.Capability.DISCOVER)) {
            log.info("{} does not declare the 'discover' capability: running it without a catalog", p.name());
        }
        return b.build();
    }

    /**
     * An Airbyte source. With the default selection ({@code *.*}) the run discovers and reads every
     * stream; otherwise the configured catalog is built here from {@code select} and {@code select_filter}.
     */
    private Tap airbyteTap(PluginConfig p, List<String> command) {
        Tap.Builder b = Tap.airbyte(p.name()).command(command).config(p.config()).workingDirectory(config.root());
        if (!p.select().equals(List.of("*.*")) || !p.selectFilter().isEmpty()) {
            try (PrivateFiles files = PrivateFiles.create("tapline-discover-")) {
                Path cfg = files.write("config.json", new ObjectMapper().writeValueAsBytes(p.config()));
                Tap unconfigured = b.build();
                ConfiguredCatalog catalog = ConfiguredCatalogBuilder.forCatalog(AirbyteRun.discover(unconfigured, cfg))
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

    private ObjectNode selectedCatalog(PluginConfig p, List<String> command) {
        try (PrivateFiles files = PrivateFiles.create("tapline-discover-")) {
            Path cfg = files.write("config.json", new ObjectMapper().writeValueAsBytes(p.config()));
            ObjectNode discovered = Discovery.discover(p.name(), command, cfg, env, config.root());
            ObjectNode selected = CatalogSelection.apply(discovered, p.schema(), p.select(), p.metadata(), p.selectFilter());
            log.info("{}: selected streams {}", p.name(), CatalogSelection.selectedStreams(selected));
            return selected;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path executable(PluginConfig p) {
        if (p.pipUrl().isPresent()) {
            Path venv = venvs.install(p.name(), p.pipUrl().get(), python(p), false); // no-op when installed
            return venv.resolve("bin").resolve(p.executable());
        }
        Path exe = Path.of(p.executable());
        return exe.isAbsolute() || !p.executable().contains("/") ? exe : config.root().resolve(exe);
    }

    private static String python(PluginConfig p) {
        return p.python().orElse("python3");
    }

    private TargetFactory target(PluginConfig p) {
        if (!p.builtin()) {
            throw new ConfigException("loader '" + p.name() + "' is not one of tapline's own targets; external "
                    + "Singer targets are not supported yet (use target-duckdb, target-parquet or target-jsonl "
                    + "without a pip_url, or variant tapline)");
        }
        return Loaders.forLoader(p.name(), p.config(), config.root());
    }
}
