package io.tapline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.runner.project.ProjectSession;
import io.tapline.spi.StateBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Meltano-style project ({@code meltano.yml}) as tapline runs it: plugins installed into managed
 * virtualenvs, pipelines built from an extractor and a loader, state in the project's state backend
 * ({@code .tapline/state} by default).
 *
 * <p>Immutable and thread-safe: the project file is read once, by {@link #open}. {@link #pipeline} and
 * {@link #install} may install virtualenvs (guarded by a file lock per venv) and run discovery, so they block.
 * Owns no open resources; {@link #stateStore()} hands its backend to the caller, who closes it.
 *
 * <p>Example, snippet: from-a-project-file (compiled as {@code io.tapline.examples.EmbeddingExamples} in the
 * runner's tests):
 * <pre>{@code
 * Pipeline pipeline = Project.open(Path.of("meltano.yml"))
 *         .pipeline("tap-jsonl", "target-duckdb", RunOptions.defaults());
 * RunResult result = pipeline.run();
 * }</pre>
 */
public final class Project {
    private final ProjectSession session;

    private Project(ProjectSession session) {
        this.session = requireNonNull(session, "session is null");
    }

    /** Opens {@code path}: a {@code meltano.yml} file or the folder holding one; settings come from this process's environment. */
    public static Project open(Path path) {
        return new Project(ProjectSession.open(path));
    }

    /** As {@link #open(Path)}, with {@code env} standing for the process environment (settings, {@code $VAR}s). */
    public static Project open(Path path, Map<String, String> env) {
        return new Project(ProjectSession.open(path, env));
    }

    /** As {@link #open(Path, Map)}, with the Meltano environment to activate (else {@code default_environment}). */
    public static Project open(Path path, Map<String, String> env, Optional<String> environment) {
        return new Project(ProjectSession.open(path, env, environment));
    }

    /** This project, discovering catalogs again instead of using cached ones ({@code --refresh-catalog}). */
    public Project refreshCatalog(boolean refresh) {
        return new Project(session.refreshCatalog(refresh));
    }

    /** The folder holding {@code meltano.yml}. */
    public Path root() { return session.root(); }

    /** The extractor's discovered catalog (cached under {@code .tapline/run}; discovers when missing or refreshed). */
    public ObjectNode discoveredCatalog(String extractor) { return session.discoveredCatalog(extractor); }

    /** The catalog a run hands the extractor: the discovered one with the plugin's select, metadata and schema rules. */
    public ObjectNode catalog(String extractor) { return session.catalog(extractor); }

    /**
     * Opens the project's state backend, as {@code state_backend.uri} names it (the local {@code .tapline/state} by
     * default), checked with a round trip. The caller owns it and closes it.
     *
     * @throws io.tapline.spi.StateStoreException with {@code STATE_BACKEND_UNAVAILABLE} (exit 5) naming the masked URI
     *     when the backend cannot be reached or refuses the credentials
     * @throws io.tapline.spi.ConfigException when the URI is malformed or no backend serves its scheme
     */
    public StateBackend stateStore() { return session.stateStore(); }

    /** Installs the named plugins (all with a {@code pip_url} when {@code names} is empty); blocks. */
    public void install(List<String> names, boolean force) { session.install(names, force); }

    /** The state id Meltano would use: {@code <env>:<tap>-to-<target>[:<suffix>]}. */
    public String stateId(String extractor, String loader, RunOptions options) {
        return session.stateId(extractor, loader, options);
    }

    /** Builds (installing and discovering as needed) the pipeline {@code extractor -> loader}. */
    public Pipeline pipeline(String extractor, String loader, RunOptions options) {
        return session.pipeline(extractor, loader, options);
    }

    /** As {@link #pipeline(String, String, RunOptions)} with an explicit state id ({@code el --state-id}). */
    public Pipeline pipeline(String extractor, String loader, String stateId, RunOptions options) {
        return session.pipeline(extractor, loader, stateId, options);
    }

    /**
     * Builds the pipeline {@code extractor -> mappings... -> loader}, as {@code meltano run tap mapping... target}:
     * {@code mappings} are names from a mapper's {@code mappings}. A loader that is not one of tapline's own targets
     * runs as an external Singer target process. The state id does not include the mappings (as in Meltano).
     */
    public Pipeline pipeline(String extractor, List<String> mappings, String loader, RunOptions options) {
        return session.pipeline(extractor, mappings, loader, options);
    }

    /** The named Airbyte extractor as a {@link Tap}, installed but not discovered. */
    public Tap airbyteSource(String extractor) { return session.airbyteSource(extractor); }

    /** Where connector config updates (CONTROL messages) of an Airbyte source are kept between runs. */
    public Path airbyteConfigFile(String extractor) { return session.airbyteConfigFile(extractor); }

    @Override
    public String toString() { return "Project[" + root() + "]"; }
}
