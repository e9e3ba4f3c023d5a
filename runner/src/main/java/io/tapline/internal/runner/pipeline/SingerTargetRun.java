package io.tapline.internal.runner.pipeline;

import io.tapline.PipelineOptions;
import io.tapline.RunResult;
import io.tapline.TargetFactory;
import io.tapline.spi.StateBlob;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tapline's targets as a Singer target: messages from an input stream (a tap's stdout, piped)
 * into a {@link Target}, and each STATE written to {@code stateOut} once everything before it is
 * committed, as Singer runners such as Meltano expect from a loader. Only the last state of a
 * commit window is emitted; with no commit in between, only the final one.
 */
public final class SingerTargetRun {
    private static final Logger log = LoggerFactory.getLogger(SingerTargetRun.class);

    private final TargetFactory targetFactory;
    private final PipelineOptions options;
    private final PrintStream stateOut;
    private final SingerLineParser parser;

    public SingerTargetRun(TargetFactory targetFactory, PipelineOptions options, PrintStream stateOut) {
        this.targetFactory = targetFactory;
        this.options = options.withUpdateState(true);
        this.stateOut = stateOut;
        this.parser = new SingerLineParser(options.maxLineBytes());
    }

    /**
     * Reads {@code in} to its end. On any failure, what came before the last STATE is committed and emitted, and
     * the target rolls back the rest ({@link Sink#fail()}).
     */
    public RunResult run(InputStream in) {
        long start = System.nanoTime();
        try (RootAllocator root = new RootAllocator();
             TargetSession s = new TargetSession(targetFactory.create(root), root, new EmittingStateStore(),
                     "singer-target", RunListener.noop(), options, StateWriteMode.COMPLETE, Optional.empty())) {
            try {
                parser.parse(in, new SingerSource.Messages(new SinkInput(s, options.validation()), parser));
                s.finish();
            } catch (RuntimeException e) {
                s.fail();
                throw e;
            }
            RunResult result = new RunResult("singer-target", s.rowsCommitted(), s.committedPerStream(),
                    parser.bytesRead(), s.committedState(), Duration.ofNanos(System.nanoTime() - start));
            log.info("Loaded {} rows in {} ms", result.rowsWritten(), result.duration().toMillis());
            return result;
        }
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
