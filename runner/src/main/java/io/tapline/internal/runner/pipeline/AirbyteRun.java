package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.AirbyteOptions;
import io.tapline.PipelineOptions;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.TargetFactory;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.spi.TaplineException;
import io.tapline.internal.protocol.airbyte.AirbyteControlMessage;
import io.tapline.internal.protocol.airbyte.AirbyteLineParser;
import io.tapline.internal.protocol.airbyte.AirbyteLogMessage;
import io.tapline.internal.protocol.airbyte.AirbyteState;
import io.tapline.internal.protocol.airbyte.AirbyteStateMessage;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.ErrorTrace;
import io.tapline.internal.protocol.airbyte.ConfiguredCatalogBuilder;
import io.tapline.internal.protocol.airbyte.StreamDescriptor;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.spi.StreamSchema;
import io.tapline.internal.protocol.singer.JsonSchema;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.internal.runner.process.ConfigFiles;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.Secrets;
import io.tapline.internal.runner.process.CancelToken;
import io.tapline.internal.runner.process.ShutdownGuard;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an Airbyte source: {@code spec} and a check of the config against it (see
 * {@link AirbyteConfigValidator}), {@code discover} (unless the tap brings a configured catalog), then
 * {@code read --config --catalog [--state]}; stdout -> {@link AirbyteLineParser} -> per-stream
 * {@link BatchBuilder} -> {@link Target} -> flush -> {@link StateStore}.
 *
 * <p>The commit rule is {@link PipelineRun}'s, duplicated here for now: at each STATE every buffered
 * record is handed to the target and the state is folded into an {@link AirbyteState}; the state's
 * {@link AirbyteState#toBlob() array of state messages} is committed only after a {@code target.flush()}.
 * On failure (a TRACE ERROR, a non-zero exit, a protocol error, an idle connector) records after the
 * last STATE are dropped, and what came before it is flushed and its state committed.
 *
 * <p>Every stream's table is opened before {@code read} starts, from the catalog's {@code json_schema};
 * its key is the configured {@code primary_key} (or {@code source_defined_primary_key}), flattened to
 * top-level property names, so keyed streams are upserted. Tables are named by stream name; the
 * namespace is not part of the name.
 */
public final class AirbyteRun implements AirbyteLineParser.Handler {
    private static final Logger log = LoggerFactory.getLogger(AirbyteRun.class);

    private final Tap tap;
    private final TargetFactory targetFactory;
    private final StateStore stateStore;
    private final String stateId;
    private final RunListener listener;
    private final PipelineOptions options;
    private CancelToken cancel = new CancelToken();
    private final Logger pluginLog;
    private Secrets secrets;
    private final ObjectMapper mapper = new ObjectMapper();

    private AirbyteState airbyteState = new AirbyteState();
    private TargetSession session;
    private Optional<ErrorTrace> error = Optional.empty();

    public AirbyteRun(Tap tap, TargetFactory targetFactory, StateStore stateStore, String stateId,
            RunListener listener, PipelineOptions options) {
        if (tap.protocol() != Tap.Protocol.AIRBYTE) {
            throw new IllegalArgumentException("tap '" + tap.name() + "' is not an Airbyte source");
        }
        this.tap = tap;
        this.targetFactory = targetFactory;
        this.stateStore = stateStore;
        this.stateId = stateId;
        this.listener = listener;
        this.options = options;
        this.pluginLog = LoggerFactory.getLogger("tapline.plugin." + tap.name());
        this.secrets = Secrets.of(tap.secrets());
    }

    /** Lets {@code token} cancel this run from another thread. */
    public AirbyteRun cancelledBy(CancelToken token) {
        this.cancel = token;
        return this;
    }

    public RunResult run() {
        long start = System.nanoTime();
        Optional<StateBlob> prior = stateStore.read(stateId);
        airbyteState = restore(prior);
        boolean resume = !options.fullRefresh() && !airbyteState.isEmpty();
        log.info("Running Airbyte source {} (state id {}): {}", tap.name(), stateId,
                resume ? "resuming from " + airbyteState : options.fullRefresh()
                        ? "full refresh, stored state not passed" : "no stored state, starting from scratch");
        try (ShutdownGuard guard = new ShutdownGuard(tap.name(), cancel);
             StateLock lock = options.force() ? StateLock.none() : stateStore.lock(stateId);
             RootAllocator root = new RootAllocator();
             PrivateFiles files = PrivateFiles.create("tapline-" + tap.name() + "-")) {
            AirbyteConnector connector = new AirbyteConnector(tap);
            if (tap.airbyte().validation() == AirbyteOptions.Validation.SPEC) {
                AirbyteConfigValidator.validate(tap.name(), connector.spec(), tap.config());
            }
            secrets = connector.secrets(); // with the spec's airbyte_secret values once spec has run
            Path configFile = files.write("config.json", json(tap.config()));
            JsonNode catalog = tap.catalog().isPresent() ? tap.catalog().get()
                    : ConfiguredCatalogBuilder.forCatalog(connector.discover(configFile, files)).build().json();
            List<StreamSchema> schemas = schemas(catalog);
            List<String> argv = new ArrayList<>(List.of("read", "--config", configFile.toString(),
                    "--catalog", files.write("catalog.json", json(catalog)).toString()));
            if (resume) {
                argv.add("--state");
                argv.add(files.write("state.json", airbyteState.toBlob().json().getBytes(StandardCharsets.UTF_8))
                        .toString());
            }
            AirbyteLineParser parser = new AirbyteLineParser(descriptors(catalog), options.maxLineBytes());
            try (Target target = targetFactory.create(root);
                 // the blob always holds the stored state's other streams: a complete write in every mode
                 TargetSession s = new TargetSession(target, root, stateStore, stateId, listener, options,
                         StateWriteMode.COMPLETE, alreadyCommitted(prior))) {
                this.session = s;
                schemas.forEach(s::open);
                try (RunningPlugin process = connector.start(argv, files)) {
                    guard.watch(process);
                    read(parser, process);
                }
            }
            RunResult result = new RunResult(stateId, session.rowsCommitted(), session.committedPerStream(),
                    parser.bytesRead(), session.committedState(), Duration.ofNanos(System.nanoTime() - start));
            log.info("{} finished: {} rows in {} ms", tap.name(), result.rowsWritten(), result.duration().toMillis());
            return result;
        }
    }

    /**
     * The stored state. A full refresh does not pass it to the connector but still folds the run's
     * states into it, so streams the run does not read keep theirs (Meltano merges a full refresh's
     * state into the stored one too); an unreadable stored state is then dropped, not fatal.
     */
    private AirbyteState restore(Optional<StateBlob> prior) {
        if (prior.isEmpty()) {
            return new AirbyteState();
        }
        if (!options.fullRefresh()) {
            return AirbyteState.restore(prior.get());
        }
        try {
            return AirbyteState.restore(prior.get());
        } catch (TaplineException e) {
            log.warn("Stored state of {} is unreadable and is replaced by this full refresh: {}", stateId,
                    e.getMessage());
            return new AirbyteState();
        }
    }

    /** The stored state as the run would write it, so an unchanged state is not written again. */
    private Optional<StateBlob> alreadyCommitted(Optional<StateBlob> prior) {
        return prior.isEmpty() || airbyteState.isEmpty() ? prior : Optional.of(airbyteState.toBlob());
    }

    private void read(AirbyteLineParser parser, RunningPlugin process) {
        int exitCode = PluginOutput.readToEnd(process, options.idleTimeout(), session, in -> parser.parse(in, this));
        if (error.isPresent()) {
            session.commitAfterFailure();
            throw failed(error.get(), exitCode);
        }
        if (exitCode != 0) {
            session.commitAfterFailure();
            throw new PluginFailedException(tap.name(), exitCode, process.stderrTail());
        }
        session.finish();
    }

    /** Runs {@code discover --config} and returns the {@code AirbyteCatalog} it printed. */
    public static JsonNode discover(Tap tap, Path configFile, PrivateFiles files) {
        return new AirbyteConnector(tap).discover(configFile, files);
    }

    @Override
    public void record(StreamName stream, Optional<String> namespace, JsonParser data, long lineNumber)
            throws IOException {
        if (!session.append(stream, data, lineNumber, null)) { // the parser checks descriptors; this guards names
            throw new ProtocolException(ErrorCode.RECORD_FOR_UNCONFIGURED_STREAM, Optional.of(stream), lineNumber,
                    "RECORD for stream '" + stream + "', which is not in the configured catalog");
        }
    }

    @Override
    public void state(AirbyteStateMessage message, long lineNumber) {
        airbyteState.accept(message, lineNumber);
        session.state(airbyteState.toBlob());
    }

    @Override
    public void trace(AirbyteTraceMessage message, long lineNumber) {
        if (message instanceof ErrorTrace e) {
            pluginLog.error("TRACE ERROR (line {}, {}): {}", lineNumber, e.failureType().orElse("no failure type"),
                    e.message());
            if (error.isEmpty()) {
                error = Optional.of(e);
            }
        } else if (message instanceof AirbyteTraceMessage.StreamStatusTrace s) {
            pluginLog.debug("stream {}: {}", s.stream(), s.status());
        } else if (message instanceof AirbyteTraceMessage.EstimateTrace e) {
            pluginLog.debug("estimate {} {}: {} rows", e.type(), e.stream().map(Object::toString).orElse(""),
                    e.rowEstimate());
            listener.estimate(e.stream().map(StreamDescriptor::name), e.rowEstimate().orElse(0),
                    e.byteEstimate().orElse(0));
        } else if (message instanceof AirbyteTraceMessage.OtherTrace o) {
            pluginLog.debug("TRACE {} ignored", o.type());
        }
    }

    @Override
    public void log(AirbyteLogMessage message, long lineNumber) {
        log(pluginLog, message, secrets);
    }

    /**
     * A connector config update (a refreshed token, say): the whole new config is written atomically to
     * the tap's config file, if it has one, for later runs; otherwise it is logged (without values) and dropped.
     */
    @Override
    public void control(AirbyteControlMessage message, long lineNumber) {
        if (tap.airbyte().configFile().isEmpty()) {
            log.warn("{} sent a connector config update (line {}); the tap has no config file to persist it to",
                    tap.name(), lineNumber);
            return;
        }
        Path file = tap.airbyte().configFile().get();
        ConfigFiles.writeAtomically(file, json(message.config()));
        log.info("{} updated its config (line {}); written to {}", tap.name(), lineNumber, file);
    }

    @Override
    public void nonProtocolLine(long lineNumber, String text) {
        pluginLog.info("stdout line {}: {}", lineNumber, text);
    }

    static void log(Logger logger, AirbyteLogMessage m, Secrets secrets) {
        String text = secrets.mask(m.message());
        switch (m.level()) {
            case FATAL, ERROR -> logger.error("{}", text);
            case WARN -> logger.warn("{}", text);
            case INFO -> logger.info("{}", text);
            case DEBUG -> logger.debug("{}", text);
            case TRACE -> logger.trace("{}", text);
        }
        m.stackTrace().ifPresent(st -> logger.debug("{}", secrets.mask(st)));
    }

    private PluginFailedException failed(ErrorTrace e, int exitCode) {
        return failed(tap.name(), e, exitCode, secrets);
    }

    static PluginFailedException failed(String what, ErrorTrace e, int exitCode, Secrets secrets) {
        StringBuilder sb = new StringBuilder("Airbyte source '").append(what).append("' failed (")
                .append(e.failureType().orElse("no failure type")).append(", exit code ").append(exitCode)
                .append("): ").append(e.message());
        e.internalMessage().ifPresent(m -> sb.append("; internal message: ").append(m));
        return new PluginFailedException(ErrorCode.PLUGIN_FAILED, what, secrets.mask(sb.toString()), null);
    }

    /** Each configured stream's columns and key, from {@code stream.json_schema} and the primary key. */
    private List<StreamSchema> schemas(JsonNode catalog) {
        List<StreamSchema> out = new ArrayList<>();
        Set<StreamName> seen = new HashSet<>();
        for (JsonNode configured : catalog.path("streams")) {
            JsonNode stream = configured.path("stream");
            StreamName name = streamName(stream);
            if (!seen.add(name)) {
                throw new ConfigException("stream '" + name + "' appears twice in the catalog of '" + tap.name()
                        + "' (namespaces are not told apart yet)");
            }
            JsonNode keyPaths = configured.path("primary_key").isArray() && !configured.path("primary_key").isEmpty()
                    ? configured.path("primary_key") : stream.path("source_defined_primary_key");
            List<String> keys = new ArrayList<>();
            for (JsonNode path : keyPaths) {
                String top = path.path(0).asText("");
                if (!top.isEmpty() && !keys.contains(top)) {
                    keys.add(top); // a nested key path keys on its top-level property
                }
            }
            SchemaMessage message = new SchemaMessage(name, new JsonSchema(stream.path("json_schema")), keys, List.of());
            out.add(JsonSchemaToArrow.convert(message, 0));
        }
        if (out.isEmpty()) {
            throw new ConfigException("no stream of Airbyte source '" + tap.name() + "' is selected");
        }
        return out;
    }

    private static Set<StreamDescriptor> descriptors(JsonNode catalog) {
        Set<StreamDescriptor> out = new HashSet<>();
        for (JsonNode configured : catalog.path("streams")) {
            JsonNode stream = configured.path("stream");
            JsonNode ns = stream.path("namespace");
            out.add(new StreamDescriptor(streamName(stream), ns.isTextual() ? Optional.of(ns.asText()) : Optional.empty()));
        }
        return out;
    }

    private static StreamName streamName(JsonNode stream) {
        String name = stream.path("name").asText("");
        if (name.isEmpty()) {
            throw new ConfigException("a stream of the configured Airbyte catalog has no \"stream.name\"");
        }
        return new StreamName(name);
    }

    private byte[] json(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
