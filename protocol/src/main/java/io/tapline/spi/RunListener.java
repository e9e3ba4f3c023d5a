package io.tapline.spi;

import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;
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

    /** A stream's schema, as the target gets it (again whenever the tap sends a changed one). */
    default void streamOpened(StreamSchema schema) {}

    /** A run begins (before the tap starts). */
    default void runStarted(RunStarted run) {}

    /**
     * A batch of {@code stream} is about to go to the target: read what you need (row and null
     * counts are cheap) and keep no reference; the vectors are reused. {@code bytes} is the batch's
     * approximate size. Followed by {@link #rowsWritten}.
     */
    default void batchWritten(StreamSchema schema, VectorSchemaRoot batch, long bytes) {}

    /** The source estimates {@code rows} records (and {@code bytes}, 0 if unknown) for a stream, or the whole sync when empty. */
    default void estimate(Optional<StreamName> stream, long rows, long bytes) {}

    /**
     * A metric the tap reported on stderr (Singer SDK {@code METRIC: {...}} lines). Called on the
     * tap's stderr thread, not the reading thread.
     */
    default void pluginMetric(PluginMetric metric) {}

    /** The run ended, successfully or not; always called once after {@link #runStarted}. */
    default void runFinished(RunFinished run) {}

    static RunListener noop() {
        return new RunListener() {};
    }

    /** Calls each listener in order; one that throws is logged and skipped. */
    static RunListener all(List<RunListener> listeners) {
        return new CompositeRunListener(listeners);
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
