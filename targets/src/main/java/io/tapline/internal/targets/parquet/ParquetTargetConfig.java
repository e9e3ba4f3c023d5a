package io.tapline.internal.targets.parquet;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ConfigException;
import io.tapline.spi.RecordHandling;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Settings of the Parquet target.
 *
 * @param root folder that holds one dataset folder per stream ({@code <root>/<table name>/})
 * @param compression Parquet compression codec ({@link Compression#ZSTD} by default)
 * @param partitionBy column whose values split each stream's files into Hive-style
 *     {@code <column>=<value>/} folders; streams without that column are written unpartitioned
 * @param partitionByLoadDate split every stream's files into {@code load_date=<yyyy-MM-dd>/} folders by the UTC
 *     date they were written (instead of by a column); not {@code _sdc_...}: pyarrow skips folders named {@code _*}
 * @param records metadata columns, flattening and validation asked for
 */
public record ParquetTargetConfig(Path root, Compression compression, Optional<String> partitionBy,
        boolean partitionByLoadDate, RecordHandling records) {
    /** The Hive partition column of load-date partitioning. */
    public static final String LOAD_DATE_COLUMN = "load_date";

    /** Parquet compression codecs DuckDB writes. */
    public enum Compression {
        ZSTD("zstd"), SNAPPY("snappy"), GZIP("gzip"), LZ4("lz4_raw"), BROTLI("brotli"), UNCOMPRESSED("uncompressed");

        private final String duckDbName;

        Compression(String duckDbName) {
            this.duckDbName = duckDbName;
        }

        /** The name DuckDB's {@code COPY ... (COMPRESSION ...)} takes. */
        String duckDbName() { return duckDbName; }

        /** Parses a setting value, case-insensitively: {@code zstd}, {@code snappy}, {@code gzip}, ... */
        public static Compression parse(String value) {
            requireNonNull(value, "value is null");
            String v = value.trim().toUpperCase(Locale.ROOT);
            if (v.equals("NONE")) {
                return UNCOMPRESSED;
            }
            if (v.equals("LZ4_RAW")) {
                return LZ4;
            }
            for (Compression c : values()) {
                if (c.name().equals(v)) {
                    return c;
                }
            }
            throw new ConfigException("unknown Parquet compression '" + value
                    + "'; expected one of zstd, snappy, gzip, lz4, brotli, uncompressed");
        }
    }

    public ParquetTargetConfig {
        requireNonNull(root, "root is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(partitionBy, "partitionBy is null");
        root = root.toAbsolutePath();
        if (partitionBy.isPresent() && partitionBy.get().isBlank()) {
            throw new ConfigException("partition_by is blank");
        }
        if (partitionBy.isPresent() && partitionByLoadDate) {
            throw new ConfigException("partition by a column or by load date, not both");
        }
        requireNonNull(records, "records is null");
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private Path root;
        private Compression compression = Compression.ZSTD;
        private Optional<String> partitionBy = Optional.empty();
        private boolean partitionByLoadDate;
        private RecordHandling records = RecordHandling.PLAIN;

        public Builder root(Path root) { this.root = root; return this; }

        public Builder compression(Compression compression) { this.compression = compression; return this; }

        public Builder partitionBy(String column) { this.partitionBy = Optional.of(column); return this; }

        public Builder partitionByLoadDate(boolean v) { this.partitionByLoadDate = v; return this; }

        public Builder records(RecordHandling records) { this.records = records; return this; }

        public ParquetTargetConfig build() {
            if (root == null) {
                throw new ConfigException("the Parquet target needs a root folder");
            }
            return new ParquetTargetConfig(root, compression, partitionBy, partitionByLoadDate, records);
        }
    }
}
