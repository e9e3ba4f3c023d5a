package io.tapline.spi;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where records land. Called from the pipeline's single reading thread, in this order per run:
 * {@code open} for each stream schema before its first batch, any number of {@code write},
 * {@code activateVersion} and {@code flush}, then {@code close} (after a failure: {@code abort}, then {@code close}).
 *
 * <p>The commit rule: the runner commits a STATE only after a {@code flush} that began after every
 * record before that STATE was handed to {@code write}. A target must therefore make everything it
 * was given durable before {@code flush} returns, and must not claim anything durable earlier.
 */
public interface Target extends AutoCloseable {
    /** What the run loop does to records before they reach this target (metadata columns, flattening, validation). */
    default RecordHandling recordHandling() { return RecordHandling.PLAIN; }

    /** A stream's (possibly changed) schema. Create or evolve the table here. */
    void open(StreamSchema schema);

    /**
     * A batch for {@code schema}'s stream. The batch is lent for the duration of the call: keep its
     * buffers only by transferring them (zero-copy) or copying; the caller reuses the vectors after.
     */
    void write(StreamSchema schema, VectorSchemaRoot batch);

    /**
     * A Singer ACTIVATE_VERSION: rows of the stream loaded under an older table version (or none) are no longer
     * current. Called after every earlier batch of the stream was given to {@code write}; {@code schema} then has
     * the {@code _sdc_table_version} and {@code _sdc_deleted_at} columns. Targets that only append ignore it.
     */
    default void activateVersion(StreamSchema schema, long version) {}

    /** Makes everything written so far durable; blocks until it is. */
    void flush();

    /**
     * The run failed: discard everything handed to {@code write} (and {@code open}/{@code activateVersion} effects)
     * since the last {@code flush} that returned normally, so nothing the runner did not commit a state for stays
     * behind to be loaded twice by the rerun. The runner calls it on every failure path (tap crash, bad input,
     * cancel, idle timeout, a failed {@code write} or {@code flush}), and never calls {@code write} or
     * {@code flush} after it; {@code close} follows. Called on the run's reading thread. Idempotent; must not
     * throw for a target that already failed (log instead): the run's own error is the one reported.
     */
    void abort();

    /** Releases connections, threads and Arrow memory. Idempotent; never throws for a second call. */
    @Override
    void close();
}
