package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.AirbyteOptions;
import io.tapline.PipelineOptions;
import io.tapline.Tap;
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
import io.tapline.internal.protocol.singer.JsonSchema;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.internal.runner.process.ConfigFiles;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.Secrets;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateWriteMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Airbyte source: {@code spec} and a check of the config against it (see {@link AirbyteConfigValidator}),
 * {@code discover} (unless the tap brings a configured catalog), then {@code read --config --catalog [--state]};
 * stdout -> {@link AirbyteLineParser} -> the loop's {@link SinkInput}.
 *
 * <p>Each configured stream's schema comes from the catalog's {@code json_schema} before {@code read} starts; its
 * key is the configured {@code primary_key} (or {@code source_defined_primary_key}), flattened to top-level property
 * names, so keyed streams are upserted. Streams are named by stream name; the namespace is not part of the name.
 * Each STATE message is folded into an {@link AirbyteState}, and the loop's state is that state's
 * {@link AirbyteState#toBlob() array of state messages}: what {@code read --state} takes back next run, whether a
 * tapline target or an external Singer target (as the value of a Singer STATE) confirmed it. A TRACE ERROR fails
 * the run once the output ends.
 */
final class AirbyteSource implements Source, AirbyteLineParser.Handler {
    private static final Logger log = LoggerFactory.getLogger(AirbyteSource.class);

    private final Tap tap;
    private final PipelineOptions options;
    private final Logger pluginLog;
    private Secrets secrets;
    private AirbyteConnector connector;
    private final ObjectMapper mapper = new ObjectMapper();

    private AirbyteState airbyteState = new AirbyteState();
    private Optional<StateBlob> alreadyCommitted = Optional.empty();
    private List<SchemaMessage> schemas = List.of();
    private List<String> readArgv = List.of();
    private AirbyteLineParser parser;
    private SinkInput out;
    private Optional<ErrorTrace> error = Optional.empty();

    AirbyteSource(Tap tap, PipelineOptions options) {
        if (tap.protocol() != Tap.Protocol.AIRBYTE) {
            throw new IllegalArgumentException("tap '" + tap.name() + "' is not an Airbyte source");
        }
        this.tap = tap;
        this.options = options;
        this.pluginLog = LoggerFactory.getLogger("tapline.plugin." + tap.name());
        this.secrets = Secrets.of(tap.secrets());
    }

    @Override
    public String name() { return tap.name(); }

    @Override
    public void prepare(Optional<StateBlob> stored, PrivateFiles files) {
        airbyteState = restore(stored);
        alreadyCommitted = stored.isEmpty() || airbyteState.isEmpty() ? stored : Optional.of(airbyteState.toBlob());
        boolean resume = !options.fullRefresh() && !airbyteState.isEmpty();
        log.info("Airbyte source {}: {}", tap.name(), resume ? "resuming from " + airbyteState
                : options.fullRefresh() ? "full refresh, stored state not passed" : "no stored state");
        connector = new AirbyteConnector(tap);
        if (tap.airbyte().validation() == AirbyteOptions.Validation.SPEC) {
            AirbyteConfigValidator.validate(tap.name(), connector.spec(), tap.config());
        }
        secrets = connector.secrets(); // with the spec's airbyte_secret values once spec has run
        Path configFile = files.write("config.json", json(tap.config()));
        JsonNode catalog = tap.catalog().isPresent() ? tap.catalog().get()
                : ConfiguredCatalogBuilder.forCatalog(connector.discover(configFile, files)).build().json();
        schemas = schemas(catalog);
        List<String> argv = new ArrayList<>(List.of("read", "--config", configFile.toString(),
                "--catalog", files.write("catalog.json", json(catalog)).toString()));
        if (resume) {
            argv.add("--state");
            argv.add(files.write("state.json", airbyteState.toBlob().json().getBytes(StandardCharsets.UTF_8))
                    .toString());
        }
        readArgv = List.copyOf(argv);
        parser = new AirbyteLineParser(descriptors(catalog), options.maxLineBytes());
    }

    @Override
    public Optional<StateBlob> alreadyCommitted() { return alreadyCommitted; }

    // the blob always holds the stored state's other streams: a complete write in every mode
    @Override
    public StateWriteMode writeMode() { return StateWriteMode.COMPLETE; }

    @Override
    public List<SchemaMessage> schemas() { return schemas; }

    @Override
    public RunningPlugin start(PrivateFiles files, RunListener listener) {
        this.listener = listener;
        return connector.start(readArgv, files);
    }

    @Override
    public void parse(InputStream in, SinkInput out) {
        this.out = out;
        parser.parse(in, this);
    }

    @Override
    public long bytesRead() { return parser == null ? 0 : parser.bytesRead(); }

    @Override
    public void checkExit(RunningPlugin process, int exitCode) {
        if (error.isPresent()) {
            throw failed(error.get(), exitCode);
        }
        if (exitCode != 0) {
            throw new PluginFailedException(tap.name(), exitCode, process.stderrTail());
        }
    }

    private RunListener listener = RunListener.noop();

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
            log.warn("Stored state of {} is unreadable and is replaced by this full refresh: {}", tap.name(),
                    e.getMessage());
            return new AirbyteState();
        }
    }

    @Override
    public void record(StreamName stream, Optional<String> namespace, JsonParser data, long lineNumber)
            throws IOException {
        if (!out.record(stream, data, lineNumber, null)) { // the parser checks descriptors; this guards names
            throw new ProtocolException(ErrorCode.RECORD_FOR_UNCONFIGURED_STREAM, Optional.of(stream), lineNumber,
                    "RECORD for stream '" + stream + "', which is not in the configured catalog");
        }
    }

    @Override
    public void state(AirbyteStateMessage message, long lineNumber) {
        airbyteState.accept(message, lineNumber);
        out.state(airbyteState.toBlob());
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
        pluginLog.info("stdout line {}: {}", lineNumber, secrets.mask(text));
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
    private List<SchemaMessage> schemas(JsonNode catalog) {
        List<SchemaMessage> out = new ArrayList<>();
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
            out.add(new SchemaMessage(name, new JsonSchema(stream.path("json_schema")), keys, List.of()));
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
