package io.tapline.targets.duckdb;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings of the DuckDB target.
 *
 * @param path database file; empty for an in-memory database
 * @param schema schema the stream tables go in ({@code main} by default)
 * @param memoryLimit DuckDB {@code memory_limit}, e.g. {@code 1GB}; DuckDB's default when empty
 * @param threads DuckDB {@code threads}; DuckDB's default when empty
 * @param queuedBatches batches waiting for the writer before {@code write} blocks (bounds memory)
 * @param deletes what a record whose {@code _sdc_deleted_at} is set does to its table (target-duckdb's
 *     {@code hard_delete})
 */
public record DuckDbTargetConfig(Optional<Path> path, String schema, Optional<String> memoryLimit,
        OptionalInt threads, int queuedBatches, Deletes deletes) {
    /** How rows the source marked deleted ({@code _sdc_deleted_at} not null) are kept. */
    public enum Deletes {
        /** Loaded like any other row, {@code _sdc_deleted_at} included (soft delete; the default). */
        KEEP,
        /**
         * Removed: after each load, rows whose {@code _sdc_deleted_at} is not null are deleted, for streams whose
         * schema has that column (pipelinewise's {@code hard_delete: true}).
         */
        HARD_DELETE
    }

    public DuckDbTargetConfig {
        if (schema == null || schema.isBlank()) {
            throw new IllegalArgumentException("schema is blank");
        }
        if (queuedBatches < 1) {
            throw new IllegalArgumentException("queuedBatches must be at least 1");
        }
        if (deletes == null) {
            throw new IllegalArgumentException("deletes is null");
        }
    }

    public static Builder builder() { return new Builder(); }

    String describeLocation() {
        return path.map(Path::toString).orElse("(in memory)");
    }

    public static final class Builder {
        private Optional<Path> path = Optional.empty();
        private String schema = "main";
        private Optional<String> memoryLimit = Optional.empty();
        private OptionalInt threads = OptionalInt.empty();
        private int queuedBatches = 4;
        private Deletes deletes = Deletes.KEEP;

        public Builder path(Path path) { this.path = Optional.of(path.toAbsolutePath()); return this; }

        public Builder inMemory() { this.path = Optional.empty(); return this; }

        public Builder schema(String schema) { this.schema = schema; return this; }

        public Builder memoryLimit(String memoryLimit) { this.memoryLimit = Optional.of(memoryLimit); return this; }

        public Builder threads(int threads) { this.threads = OptionalInt.of(threads); return this; }

        public Builder queuedBatches(int queuedBatches) { this.queuedBatches = queuedBatches; return this; }

        public Builder deletes(Deletes deletes) { this.deletes = deletes; return this; }

        public DuckDbTargetConfig build() {
            return new DuckDbTargetConfig(path, schema, memoryLimit, threads, queuedBatches, deletes);
        }
    }
}
