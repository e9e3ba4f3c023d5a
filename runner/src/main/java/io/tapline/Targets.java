package io.tapline;

import static java.util.Objects.requireNonNull;

import io.tapline.internal.targets.duckdb.DuckDbTarget;
import io.tapline.internal.targets.duckdb.DuckDbTargetConfig;
import io.tapline.internal.targets.jsonl.JsonlTarget;
import io.tapline.internal.targets.jsonl.JsonlTargetConfig;
import io.tapline.internal.targets.parquet.ParquetTarget;
import io.tapline.internal.targets.parquet.ParquetTargetConfig;
import java.nio.file.Path;

/**
 * tapline's own targets, for {@link Pipeline.Builder#target(TargetFactory)}, without naming their implementation.
 *
 * <p>Each method validates its arguments and returns an immutable, thread-safe {@link TargetFactory}: one pipeline
 * (or several) may keep it and run it any number of times, from any thread. Each run calls it once, on the run's
 * thread, for a fresh {@link io.tapline.spi.Target}; the run owns that target and closes it (on success, failure or
 * cancel) before it returns. Nothing is opened or created on disk until a run starts. Example:
 * {@code io.tapline.examples.EmbeddingExamples#runATapIntoDuckDb} (compiled and run by the tests).
 */
public final class Targets {
    private Targets() {}

    /** Rows into tables of schema {@code main} of the DuckDB database {@code file} (created if missing); upserts by key. */
    public static TargetFactory duckDb(Path file) {
        return duckDb(file, "main");
    }

    /**
     * Rows into tables of {@code schema} (created if missing) of the DuckDB database {@code file}. One table per
     * stream, upserted by the stream's key properties; each flush commits one transaction, so the state the run
     * saves after it never runs ahead of the data.
     */
    public static TargetFactory duckDb(Path file, String schema) {
        requireNonNull(file, "file is null");
        requireNonNull(schema, "schema is null");
        DuckDbTargetConfig config = DuckDbTarget.file(file).schema(schema).build();
        return allocator -> DuckDbTarget.open(config, allocator);
    }

    /** Parquet files under {@code root}, one folder per stream; a flush publishes the files it wrote. */
    public static TargetFactory parquet(Path root) {
        requireNonNull(root, "root is null");
        ParquetTargetConfig config = ParquetTarget.at(root).build();
        return allocator -> ParquetTarget.open(config, allocator);
    }

    /** JSON-lines files under {@code root}, one per stream; a flush makes what was appended durable. */
    public static TargetFactory jsonl(Path root) {
        requireNonNull(root, "root is null");
        JsonlTargetConfig config = JsonlTarget.at(root).build();
        return allocator -> JsonlTarget.open(config);
    }
}
