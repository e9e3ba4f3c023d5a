package io.tapline.internal.targets.duckdb;

import io.tapline.spi.StreamSchema;
import java.util.concurrent.CompletableFuture;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Work for the DuckDB writer thread, in pipeline order. */
sealed interface WriterItem {
    record Open(StreamSchema schema) implements WriterItem {}

    /** A batch the writer owns and must close. */
    record Batch(StreamSchema schema, VectorSchemaRoot root) implements WriterItem {}

    /** ACTIVATE_VERSION: retire the stream's rows of older table versions. */
    record ActivateVersion(StreamSchema schema, long version) implements WriterItem {}

    record Flush(CompletableFuture<Void> done) implements WriterItem {}

    record Close() implements WriterItem {}

    /** Frees what the item holds when it will never be processed. */
    default void release() {
        if (this instanceof Batch b) {
            b.root().close();
        } else if (this instanceof Flush f) {
            f.done().completeExceptionally(new IllegalStateException("target closed before the flush ran"));
        }
    }
}
