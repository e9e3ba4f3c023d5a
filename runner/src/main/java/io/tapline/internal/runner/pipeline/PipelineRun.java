package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tapline.RunResult;
import io.tapline.SingerPlugin;
import io.tapline.Tap;
import io.tapline.TargetFactory;
import io.tapline.PipelineOptions;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.internal.protocol.singer.ActivateVersionMessage;
import io.tapline.internal.protocol.singer.BatchMessage;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.internal.protocol.singer.StateMessage;
import io.tapline.internal.runner.process.LaunchSpec;
import io.tapline.internal.runner.process.Launcher;
import io.tapline.internal.runner.process.LimitedCommand;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.internal.runner.process.PrivateFiles;
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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a Singer pipeline: tap stdout -> {@link SingerLineParser} -> {@link TargetSession}
 * (per-stream {@link io.tapline.internal.protocol.arrow.BatchBuilder}s -> {@link Target} -> flush ->
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
    private CancelToken cancel = new CancelToken();
    /** Exact numbers in record trees (validation): 1.50 stays 1.50. */
    static final ObjectMapper TREES = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final List<SingerPlugin> mappers;
    private final SingerLineParser parser;

    private final BatchFiles batchFiles = new BatchFiles();
    private TargetSession session;
    private RecordValidator validator;

    public PipelineRun(Tap tap, TargetFactory targetFactory, StateStore stateStore, String stateId,
            RunListener listener, PipelineOptions options) {
        this(tap, List.of(), targetFactory, stateStore, stateId, listener, options);
    }

    /** A run whose tap output passes through {@code mappers} (processes, piped in order) before the target. */
    public PipelineRun(Tap tap, List<SingerPlugin> mappers, TargetFactory targetFactory, StateStore stateStore,
            String stateId, RunListener listener, PipelineOptions options) {
        this.tap = tap;
        this.mappers = List.copyOf(mappers);
        this.targetFactory = targetFactory;
        this.stateStore = stateStore;
        this.stateId = stateId;
        this.listener = listener;
        this.options = options;
        this.parser = new SingerLineParser(options.maxLineBytes());
    }

    /** Lets {@code token} cancel this run from another thread. */
    public PipelineRun cancelledBy(CancelToken token) {
        this.cancel = token;
        return this;
    }

    public RunResult run() {
        long start = System.nanoTime();
        Optional<StateBlob> prior = options.fullRefresh() ? Optional.empty() : stateStore.read(stateId);
        log.info("Running {} (state id {}): {}", tap.name(), stateId,
                prior.isPresent() ? "resuming from stored state" : "no stored state, starting from scratch");
        SingerLineParser parser = this.parser;
        try (ShutdownGuard guard = new ShutdownGuard(tap.name(), cancel);
             StateLock lock = options.force() ? StateLock.none() : stateStore.lock(stateId);
             RootAllocator root = new RootAllocator();
             PrivateFiles files = PrivateFiles.create("tapline-" + tap.name() + "-");
             Target target = targetFactory.create(root);
             // SDK taps echo --state first: the stored state counts as committed, so that moves nothing forward
             TargetSession s = new TargetSession(target, root, stateStore, stateId, listener, options,
                     options.fullRefresh() ? StateWriteMode.PARTIAL : StateWriteMode.COMPLETE, prior);
             RunningPlugin process = start(files, prior)) {
            this.session = s;
            this.validator = RecordValidator.forMode(s.recordHandling().validation(), TREES).orElse(null);
            guard.watch(process);
            int exitCode = PluginOutput.readToEnd(process, options.idleTimeout(), s, in -> parser.parse(in, this));
            if (exitCode != 0) {
                session.commitAfterFailure();
                PluginFailedException failed = process.failure(exitCode);
                throw new PluginFailedException(failed.plugin(), exitCode, withLimitHint(failed.stderrTail(), exitCode));
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
        if (validator != null) {
            validator.schema(message, lineNumber);
        }
        session.open(JsonSchemaToArrow.convert(message, lineNumber, session.recordHandling().flattenDepth()));
    }

    @Override
    public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
        if (validator != null) {
            appendChecked(validator, session, stream, record, lineNumber);
            return;
        }
        session.append(stream, record, lineNumber, parser.rawInput()); // the parser saw the stream's SCHEMA
    }

    @Override
    public void state(StateMessage message, long lineNumber) {
        session.state(message.value());
    }

    @Override
    public void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted, long lineNumber) {
        session.recordEnd(stream, version, timeExtracted);
    }

    @Override
    public void activateVersion(ActivateVersionMessage message, long lineNumber) {
        session.activateVersion(message.stream(), message.version());
    }

    @Override
    public void batch(BatchMessage message, long lineNumber) {
        batchFiles.load(message, lineNumber, this::batchRecord);
    }

    private void batchRecord(StreamName stream, JsonParser record, long lineNumber) throws IOException {
        if (validator != null) {
            appendChecked(validator, session, stream, record, lineNumber);
        } else {
            session.append(stream, record, lineNumber, null);
        }
    }

    /** Validates the record, then appends it from the validated tree. */
    static void appendChecked(RecordValidator validator, TargetSession session, StreamName stream, JsonParser record,
            long lineNumber) throws IOException {
        JsonNode tree = validator.check(stream, record, lineNumber);
        if (tree == null) {
            return; // warn-skip: logged and counted, not loaded
        }
        try (JsonParser p = tree.traverse(TREES)) {
            p.nextToken();
            session.append(stream, p, lineNumber, null);
        }
    }

    private List<String> withLimitHint(List<String> tail, int exitCode) {
        List<String> out = new ArrayList<>(tail);
        LimitedCommand.explain(exitCode, tap.limits()).ifPresent(out::add);
        return out;
    }

    private RunningPlugin start(PrivateFiles files, Optional<StateBlob> prior) {
        LaunchSpec spec = tapSpec(tap, files, prior);
        if (mappers.isEmpty()) {
            return Launcher.forThisProcess().start(spec, listener::pluginMetric);
        }
        return Launcher.forThisProcess().startChain(ChainStages.after(spec, mappers, files));
    }

    /** The tap's process: its command with the files {@link #tapArgv} names, where the tap runs. */
    static LaunchSpec tapSpec(Tap tap, PrivateFiles files, Optional<StateBlob> prior) {
        List<String> argv = tapArgv(tap, files, prior);
        return LaunchSpec.forTap(tap, LaunchSpec.Role.TAP, argv.subList(tap.command().size(), argv.size()),
                files.dir());
    }

    /** The tap's command with {@code --config}, {@code --catalog}/{@code --properties} and {@code --state} files. */
    static List<String> tapArgv(Tap tap, PrivateFiles files, Optional<StateBlob> prior) {
        ObjectMapper mapper = new ObjectMapper();
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
