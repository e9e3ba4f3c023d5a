package io.tapline.internal.targets.duckdb;

import io.tapline.spi.MetadataColumn;
import io.tapline.spi.RecordHandling;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
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
 *     {@code hard_delete}); also what an ACTIVATE_VERSION does to rows of older versions
 * @param loadMethod how records meet the rows already in a table
 * @param records metadata columns, flattening and validation asked for
 */
public record DuckDbTargetConfig(Optional<Path> path, String schema, Optional<String> memoryLimit,
        OptionalInt threads, int queuedBatches, Deletes deletes, LoadMethod loadMethod, RecordHandling records) {
    /** The Singer SDK's {@code load_method}. */
    public enum LoadMethod {
        /** Every record is inserted, key properties or not. */
        APPEND_ONLY,
        /** Streams with key properties: last record per key wins (the default); others append. */
        UPSERT,
        /** A stream's table is emptied when the run first opens it, then loaded as by {@link #UPSERT}. */
        OVERWRITE;

        /** {@code append-only}, {@code upsert} or {@code overwrite}. */
        public static LoadMethod parse(String value) {
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "append-only", "append_only", "append" -> APPEND_ONLY;
                case "upsert" -> UPSERT;
                case "overwrite" -> OVERWRITE;
                default -> throw new io.tapline.spi.ConfigException("unknown load_method '" + value
                        + "'; expected append-only, upsert or overwrite");
            };
        }
    }

    /**
     * How rows the source marked deleted ({@code _sdc_deleted_at} not null) and rows an ACTIVATE_VERSION retires
     * are kept.
     */
    public enum Deletes {
        /**
         * Loaded like any other row, {@code _sdc_deleted_at} included; an ACTIVATE_VERSION sets {@code _sdc_deleted_at}
         * on rows of older versions (soft delete; the default).
         */
        KEEP,
        /**
         * Removed: after each load, rows whose {@code _sdc_deleted_at} is not null are deleted, for streams whose
         * schema has that column (pipelinewise's {@code hard_delete: true}, which adds the column to every stream);
         * an ACTIVATE_VERSION deletes rows of older versions.
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
        if (deletes == null || loadMethod == null || records == null) {
            throw new IllegalArgumentException("deletes, loadMethod and records must not be null");
        }
    }

    /** {@link #records()} plus what hard deletes need: the {@code _sdc_deleted_at} column on every stream. */
    public RecordHandling effectiveRecords() {
        if (deletes != Deletes.HARD_DELETE || records.metadata().contains(MetadataColumn.DELETED_AT)) {
            return records;
        }
        Set<MetadataColumn> metadata = EnumSet.of(MetadataColumn.DELETED_AT);
        metadata.addAll(records.metadata());
        return new RecordHandling(metadata, records.flattenDepth(), records.validation(), records.activateVersions());
    }

    /** The DuckDB target's default: records as they come, ACTIVATE_VERSION honoured. */
    public static final RecordHandling DEFAULT_RECORDS = new RecordHandling(Set.of(), 0, RecordHandling.Validation.OFF,
            true);

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
        private LoadMethod loadMethod = LoadMethod.UPSERT;
        private RecordHandling records = DEFAULT_RECORDS;

        public Builder path(Path path) { this.path = Optional.of(path.toAbsolutePath()); return this; }

        public Builder inMemory() { this.path = Optional.empty(); return this; }

        public Builder schema(String schema) { this.schema = schema; return this; }

        public Builder memoryLimit(String memoryLimit) { this.memoryLimit = Optional.of(memoryLimit); return this; }

        public Builder threads(int threads) { this.threads = OptionalInt.of(threads); return this; }

        public Builder queuedBatches(int queuedBatches) { this.queuedBatches = queuedBatches; return this; }

        public Builder deletes(Deletes deletes) { this.deletes = deletes; return this; }

        public Builder loadMethod(LoadMethod loadMethod) { this.loadMethod = loadMethod; return this; }

        public Builder records(RecordHandling records) { this.records = records; return this; }

        public DuckDbTargetConfig build() {
            return new DuckDbTargetConfig(path, schema, memoryLimit, threads, queuedBatches, deletes, loadMethod, records);
        }
    }
}
