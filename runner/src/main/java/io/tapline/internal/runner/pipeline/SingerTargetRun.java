package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import io.tapline.PipelineOptions;
import io.tapline.RunResult;
import io.tapline.TargetFactory;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.internal.protocol.singer.ActivateVersionMessage;
import io.tapline.internal.protocol.singer.BatchMessage;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.internal.protocol.singer.StateMessage;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tapline's targets as a Singer target: messages from an input stream (a tap's stdout, piped)
 * into a {@link Target}, and each STATE written to {@code stateOut} once everything before it is
 * committed, as Singer runners such as Meltano expect from a loader. Only the last state of a
 * commit window is emitted; with no commit in between, only the final one.
 */
public final class SingerTargetRun implements SingerLineParser.Handler {
    private static final Logger log = LoggerFactory.getLogger(SingerTargetRun.class);

    private final TargetFactory targetFactory;
    private final PipelineOptions options;
    private final PrintStream stateOut;
    private final SingerLineParser parser;
    private final BatchFiles batchFiles = new BatchFiles();
    private TargetSession session;
    private RecordValidator validator;

    public SingerTargetRun(TargetFactory targetFactory, PipelineOptions options, PrintStream stateOut) {
        this.targetFactory = targetFactory;
        this.options = options.withUpdateState(true);
        this.stateOut = stateOut;
        this.parser = new SingerLineParser(options.maxLineBytes());
    }

    /** Reads {@code in} to its end. On a protocol error, what came before the last STATE is committed and emitted. */
    public RunResult run(InputStream in) {
        long start = System.nanoTime();
        try (RootAllocator root = new RootAllocator();
             Target target = targetFactory.create(root);
             TargetSession s = new TargetSession(target, root, new EmittingStateStore(), "singer-target",
                     RunListener.noop(), options, StateWriteMode.COMPLETE, Optional.empty())) {
            this.session = s;
            this.validator = RecordValidator.forMode(s.recordHandling().validation(), PipelineRun.TREES).orElse(null);
            try {
                parser.parse(in, this);
            } catch (RuntimeException e) {
                s.commitAfterFailure();
                throw e;
            }
            s.finish();
            RunResult result = new RunResult("singer-target", s.rowsCommitted(), s.committedPerStream(),
                    parser.bytesRead(), s.committedState(), Duration.ofNanos(System.nanoTime() - start));
            log.info("Loaded {} rows in {} ms", result.rowsWritten(), result.duration().toMillis());
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
            PipelineRun.appendChecked(validator, session, stream, record, lineNumber);
            return;
        }
        session.append(stream, record, lineNumber, parser.rawInput());
    }

    @Override
    public void state(StateMessage message, long lineNumber) {
        session.state(message.value());
    }

    @Override
    public void batch(BatchMessage message, long lineNumber) {
        batchFiles.load(message, lineNumber, (stream, record, line) -> {
            if (validator != null) {
                PipelineRun.appendChecked(validator, session, stream, record, line);
            } else {
                session.append(stream, record, line, null);
            }
        });
    }

    @Override
    public void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted, long lineNumber) {
        session.recordEnd(stream, version, timeExtracted);
    }

    @Override
    public void activateVersion(ActivateVersionMessage message, long lineNumber) {
        session.activateVersion(message.stream(), message.version());
    }

    /** "Saving" a state is printing it: the runner upstream stores it. */
    private final class EmittingStateStore implements StateStore {
        @Override
        public Optional<StateBlob> read(String stateId) {
            return Optional.empty();
        }

        @Override
        public void save(String stateId, StateBlob state, StateWriteMode mode) {
            stateOut.println(state.json());
            stateOut.flush();
        }

        @Override
        public void clear(String stateId) {}
    }
}
