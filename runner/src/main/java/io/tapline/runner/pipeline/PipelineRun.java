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
import io.tapline.protocol.TaplineException;
import io.tapline.protocol.TargetException;
import io.tapline.protocol.arrow.BatchBuilder;
import io.tapline.protocol.arrow.JsonSchemaToArrow;
import io.tapline.protocol.arrow.StreamSchema;
import io.tapline.protocol.singer.ActivateVersionMessage;
import io.tapline.protocol.singer.BatchMessage;
import io.tapline.protocol.singer.SchemaMessage;
import io.tapline.protocol.singer.SingerLineParser;
import io.tapline.protocol.singer.StateMessage;
import io.tapline.runner.process.PluginProcess;
import io.tapline.runner.process.PrivateFiles;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a pipeline: tap stdout -> {@link SingerLineParser} -> per-stream {@link BatchBuilder}
 * -> {@link Target} -> flush -> {@link StateStore}.
 *
 * <p>The commit rule lives here. At each STATE every buffered record is handed to the target, so
 * everything before the STATE is with the target; the state is committed only after a
 * {@code target.flush()} that follows. When the tap fails or breaks the protocol, records after the
 * last STATE are dropped, and what came before it is flushed and its state committed: the next run
 * resumes from there.
 */
public final class PipelineRun implements SingerLineParser.Handler {
    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    private final Tap tap;
    private final TargetFactory targetFactory;
    private final StateStore stateStore;
    private final String stateId;
    private final RunListener listener;
    private final PipelineOptions options;
    private final ObjectMapper mapper = new ObjectMapper();
    private final SingerLineParser parser;

    private final Map<StreamName, StreamBuffer> buffers = new HashMap<>();
    private final Map<StreamName, Long> committedPerStream = new LinkedHashMap<>();
    private final Map<StreamName, Long> handedPerStream = new LinkedHashMap<>();
    private BufferAllocator allocator;
    private Target target;
    private StreamBuffer lastBuffer;
    private Optional<StateBlob> pendingState = Optional.empty();
    private Optional<StateBlob> committedState = Optional.empty();
    private long rowsHandedSinceCommit;
    private long lastCommitNanos;

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
        lastCommitNanos = start;
        Optional<StateBlob> prior = options.fullRefresh() ? Optional.empty() : stateStore.read(stateId);
        committedState = prior; // SDK taps echo --state first: storing it again would move nothing forward
        log.info("Running {} (state id {}): {}", tap.name(), stateId,
                prior.isPresent() ? "resuming from stored state" : "no stored state, starting from scratch");
        SingerLineParser parser = this.parser;
        try (StateLock lock = options.force() ? StateLock.none() : stateStore.lock(stateId);
             RootAllocator root = new RootAllocator();
             PrivateFiles files = PrivateFiles.create("tapline-" + tap.name() + "-");
             Target t = targetFactory.create(root);
             Buffers ignored = new Buffers();
             PluginProcess process = PluginProcess.start(tap.name(), argv(files, prior), tap.environment(),
                     tap.workingDirectory().orElse(Path.of("").toAbsolutePath()))) {
            this.allocator = root;
            this.target = t;
            try (IdleWatchdog watchdog = IdleWatchdog.watch(process.stdout(), options.idleTimeout(), process::close)) {
                try {
                    parser.parse(watchdog.stream(), this);
                } catch (ProtocolException | UncheckedIOException e) {
                    process.close(); // stop the tap: its output can no longer be trusted
                    commitLastStateAfterFailure();
                    if (watchdog.fired()) {
                        throw idle(watchdog, process);
                    }
                    throw e;
                }
                if (watchdog.fired()) {
                    commitLastStateAfterFailure();
                    throw idle(watchdog, process);
                }
            }
            int exitCode = process.waitFor(EXIT_TIMEOUT);
            if (exitCode != 0) {
                commitLastStateAfterFailure();
                throw new PluginFailedException(tap.name(), exitCode, process.stderrTail());
            }
            handOverAll();
            commit();
            RunResult result = new RunResult(stateId, sum(committedPerStream), committedPerStream, parser.bytesRead(),
                    committedState, Duration.ofNanos(System.nanoTime() - start));
            log.info("{} finished: {} rows in {} ms", tap.name(), result.rowsWritten(), result.duration().toMillis());
            return result;
        }
    }

    private PluginFailedException idle(IdleWatchdog watchdog, PluginProcess process) {
        return new PluginFailedException(ErrorCode.PLUGIN_TIMEOUT, tap.name(), "plugin '" + tap.name()
                + "' wrote nothing for " + watchdog.timeout().toSeconds() + " s and was stopped (idle timeout); "
                + "last stderr lines: " + process.stderrTail(), null);
    }

    @Override
    public void schema(SchemaMessage message, long lineNumber) {
        StreamSchema schema = JsonSchemaToArrow.convert(message, lineNumber);
        StreamBuffer existing = buffers.get(message.stream());
        if (existing != null) {
            if (existing.schema.equals(schema)) {
                return; // a repeated identical SCHEMA changes nothing
            }
            handOver(existing);
            existing.builder.close();
        }
        target.open(schema);
        StreamBuffer buffer = new StreamBuffer(schema, new BatchBuilder(schema, allocator));
        buffers.put(message.stream(), buffer);
        lastBuffer = null;
        listener.streamSchema(message.stream());
    }

    @Override
    public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
        StreamBuffer buffer = lastBuffer;
        if (buffer == null || buffer.schema.stream() != stream) {
            buffer = buffers.get(stream);
            lastBuffer = buffer;
        }
        BatchBuilder builder = buffer.builder;
        builder.append(record, lineNumber, parser.rawInput());
        if (builder.rowCount() >= options.batchRows() || builder.bufferedBytes() >= options.batchBytes()) {
            handOver(buffer);
        }
    }

    @Override
    public void state(StateMessage message, long lineNumber) {
        handOverAll(); // everything before this STATE is now with the target
        pendingState = Optional.of(message.value());
        if (rowsHandedSinceCommit >= options.commitEveryRows()
                || System.nanoTime() - lastCommitNanos >= options.commitEvery().toNanos()) {
            commit();
        }
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

    private void handOver(StreamBuffer buffer) {
        int rows = buffer.builder.rowCount();
        if (rows == 0) {
            return;
        }
        target.write(buffer.schema, buffer.builder.root());
        buffer.builder.clear();
        rowsHandedSinceCommit += rows;
        handedPerStream.merge(buffer.schema.stream(), (long) rows, Long::sum);
        listener.rowsWritten(buffer.schema.stream(), rows);
    }

    private void handOverAll() {
        buffers.values().forEach(this::handOver);
    }

    /** Flushes the target, then commits the pending state: never the other way round. */
    private void commit() {
        target.flush();
        handedPerStream.forEach((stream, rows) -> committedPerStream.merge(stream, rows, Long::sum));
        handedPerStream.clear();
        rowsHandedSinceCommit = 0;
        lastCommitNanos = System.nanoTime();
        if (pendingState.isPresent() && !pendingState.equals(committedState)) {
            StateBlob state = pendingState.get();
            if (options.updateState()) {
                // Meltano: a full refresh merges its state (INCOMPLETE_STATE), a normal run replaces it
                stateStore.save(stateId, state, options.fullRefresh() ? StateWriteMode.PARTIAL : StateWriteMode.COMPLETE);
            }
            committedState = pendingState;
            listener.stateCommitted(state, sum(committedPerStream));
            log.info("Committed state for {} after {} rows", stateId, sum(committedPerStream));
        }
    }

    /**
     * After a failure, commits what came before the last STATE. Records buffered after it are
     * dropped; nothing is committed when the tap never emitted a STATE, nor when the target failed.
     */
    private void commitLastStateAfterFailure() {
        if (pendingState.isEmpty() || pendingState.equals(committedState)) {
            return;
        }
        try {
            commit();
        } catch (TargetException e) {
            log.error("Could not commit the last state after the failure: {}", e.getMessage());
        } catch (TaplineException e) {
            log.error("Could not commit the last state after the failure: {}", e.getMessage());
        }
    }

    private static long sum(Map<StreamName, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static final class StreamBuffer {
        final StreamSchema schema;
        final BatchBuilder builder;

        StreamBuffer(StreamSchema schema, BatchBuilder builder) {
            this.schema = schema;
            this.builder = builder;
        }
    }

    /** Closes every stream's builder (and its Arrow memory) when the run ends. */
    private final class Buffers implements AutoCloseable {
        @Override
        public void close() {
            buffers.values().forEach(b -> b.builder.close());
            buffers.clear();
        }
    }
}
