package io.tapline.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.TargetFactory;
import io.tapline.PipelineOptions;
import io.tapline.protocol.ErrorCode;
import io.tapline.protocol.PluginFailedException;
import io.tapline.protocol.ProtocolException;
import io.tapline.protocol.StateBlob;
import io.tapline.protocol.StreamName;
import io.tapline.protocol.arrow.JsonSchemaToArrow;
import io.tapline.protocol.singer.ActivateVersionMessage;
import io.tapline.protocol.singer.BatchMessage;
import io.tapline.protocol.singer.SchemaMessage;
import io.tapline.protocol.singer.SingerLineParser;
import io.tapline.protocol.singer.StateMessage;
import io.tapline.runner.process.PluginProcess;
import io.tapline.runner.process.PrivateFiles;
import io.tapline.runner.process.ShutdownGuard;
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
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a Singer pipeline: tap stdout -> {@link SingerLineParser} -> {@link TargetSession}
 * (per-stream {@link io.tapline.protocol.arrow.BatchBuilder}s -> {@link Target} -> flush ->
 * {@link StateStore}). The commit rule itself lives in {@link TargetSession}, shared with
 * {@link AirbyteRun}; this class starts the tap, watches it, and decides what a failure commits.
 */
public final class PipelineRun implements SingerLineParser.Handler {
    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);

    private final Tap tap;
    private final TargetFactory targetFactory;
    private final StateStore stateStore;
    private final String stateId;
    private final RunListener listener;
    private final PipelineOptions options;
    private final ObjectMapper mapper = new ObjectMapper();
    private final SingerLineParser parser;

    private TargetSession session;

    public PipelineRun(Tap tap, TargetFactory targetFactory, StateStore stateStore, String stateId,
            RunListener listener, PipelineOptions options) {
        this.tap = tap;
        this.targetFactory = targetFactory;
        this.stateStore = stateStore;
        this.stateId = stateId;
        this.listener = listener;
        this.options = options;
        this.parser = new SingerLineParser(options.maxLineBytes());
    }

    public RunResult run() {
        long start = System.nanoTime();
        Optional<StateBlob> prior = options.fullRefresh() ? Optional.empty() : stateStore.read(stateId);
        log.info("Running {} (state id {}): {}", tap.name(), stateId,
                prior.isPresent() ? "resuming from stored state" : "no stored state, starting from scratch");
        SingerLineParser parser = this.parser;
        try (ShutdownGuard guard = new ShutdownGuard(tap.name());
             StateLock lock = options.force() ? StateLock.none() : stateStore.lock(stateId);
             RootAllocator root = new RootAllocator();
             PrivateFiles files = PrivateFiles.create("tapline-" + tap.name() + "-");
             Target target = targetFactory.create(root);
             // SDK taps echo --state first: the stored state counts as committed, so that moves nothing forward
             TargetSession s = new TargetSession(target, root, stateStore, stateId, listener, options,
                     options.fullRefresh() ? StateWriteMode.PARTIAL : StateWriteMode.COMPLETE, prior);
             PluginProcess process = PluginProcess.start(tap.name(), argv(files, prior), tap.environment(),
                     tap.workingDirectory().orElse(Path.of("").toAbsolutePath()), listener::pluginMetric)) {
            this.session = s;
            guard.watch(process);
            int exitCode = PluginOutput.readToEnd(process, options.idleTimeout(), s, in -> parser.parse(in, this));
            if (exitCode != 0) {
                session.commitAfterFailure();
                throw new PluginFailedException(tap.name(), exitCode, process.stderrTail());
            }
            session.finish();
            RunResult result = new RunResult(stateId, session.rowsCommitted(), session.committedPerStream(),
                    parser.bytesRead(), session.committedState(), Duration.ofNanos(System.nanoTime() - start));
            log.info("{} finished: {} rows in {} ms", tap.name(), result.rowsWritten(), result.duration().toMillis());
            return result;
        }
    }

    @Override
    public void schema(SchemaMessage message, long lineNumber) {
        session.open(JsonSchemaToArrow.convert(message, lineNumber));
    }

    @Override
    public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
        session.append(stream, record, lineNumber, parser.rawInput()); // the parser saw the stream's SCHEMA
    }

    @Override
    public void state(StateMessage message, long lineNumber) {
        session.state(message.value());
    }

    @Override
    public void activateVersion(ActivateVersionMessage message, long lineNumber) {
        log.debug("Stream {}: ACTIVATE_VERSION {} (line {}) ignored; records are appended or upserted",
                message.stream(), message.version(), lineNumber);
    }

    @Override
    public void batch(BatchMessage message, long lineNumber) {
        throw new ProtocolException(ErrorCode.INVALID_MESSAGE, Optional.of(message.stream()), lineNumber,
                "BATCH messages (stream '" + message.stream() + "') are not supported yet; "
                        + "turn off the tap's batch mode");
    }

    private List<String> argv(PrivateFiles files, Optional<StateBlob> prior) {
        List<String> argv = new ArrayList<>(tap.command());
        try {
            argv.add("--config");
            argv.add(files.write("config.json", mapper.writeValueAsBytes(tap.config())).toString());
            if (tap.catalog().isPresent()) {
                boolean catalogFlag = tap.capabilities().contains(Tap.Capability.CATALOG)
                        || !tap.capabilities().contains(Tap.Capability.PROPERTIES);
                argv.add(catalogFlag ? "--catalog" : "--properties");
                argv.add(files.write("catalog.json", mapper.writeValueAsBytes(tap.catalog().get())).toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (prior.isPresent() && tap.capabilities().contains(Tap.Capability.STATE)) {
            argv.add("--state");
            argv.add(files.write("state.json", prior.get().json().getBytes(StandardCharsets.UTF_8)).toString());
        }
        return argv;
    }
}
