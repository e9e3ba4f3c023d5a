package io.tapline.spi;

import io.tapline.protocol.StateBlob;
import io.tapline.protocol.StreamName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes a run. Called on the pipeline's reading thread; keep callbacks quick and never throw
 * (an exception is logged and ignored). Every method has a no-op default.
 */
public interface RunListener {
    default void streamSchema(StreamName stream) {}

    /** {@code rows} more records of {@code stream} were handed to the target (not yet committed). */
    default void rowsWritten(StreamName stream, long rows) {}

    /** The target flushed and {@code state} was committed; {@code rowsCommitted} is the run's total. */
    default void stateCommitted(StateBlob state, long rowsCommitted) {}

    /**
     * The run failed (or was cancelled) with {@code failure}, which the run then throws. State committed
     * before it stays committed. Called once, on the run's thread, after every resource was released.
     */
    default void runFailed(RuntimeException failure) {}

    static RunListener noop() {
        return new RunListener() {};
    }

    /** Logs each state commit at INFO. */
    static RunListener logging() {
        Logger log = LoggerFactory.getLogger("tapline.run");
        return new RunListener() {
            @Override
            public void stateCommitted(StateBlob state, long rowsCommitted) {
                log.info("Committed state after {} rows", rowsCommitted);
            }
        };
    }
}
