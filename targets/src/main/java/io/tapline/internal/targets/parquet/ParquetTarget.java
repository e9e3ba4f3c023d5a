package io.tapline.internal.targets.parquet;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.TargetException;
import io.tapline.spi.Column;
import io.tapline.spi.ColumnType;
import io.tapline.spi.RecordHandling;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.Target;
import io.tapline.internal.targets.duckdb.TableNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parquet files, one dataset folder per stream: {@code <root>/<table name>/part-<run>-<n>.parquet}, where
 * {@code <run>} is unique per target instance, so a run only ever adds files and never rewrites one.
 *
 * <p>Each {@link #write} turns its batch into one Parquet part file right away (nothing is buffered
 * across batches), written by an in-memory DuckDB ({@code COPY ... TO}) under a hidden temporary name
 * ({@code .part-<run>-<n>.parquet.tmp}; pyarrow and {@code *.parquet} globs skip it). {@link #flush()}
 * fsyncs every pending file, renames it atomically to its final name and fsyncs the folders, so a file
 * is visible under a final name only once it is complete and durable. {@link #close()} without a flush
 * deletes the pending temporary files. Not thread-safe: the pipeline calls it from one thread.
 *
 * <p>Types follow the DuckDB target: JSON columns are Parquet strings with the JSON logical type,
 * timestamps are {@code TIMESTAMP WITH TIME ZONE} (UTC-adjusted microseconds). A changed stream schema
 * simply changes the columns of later files; read a folder with {@code union_by_name}.
 */
public final class ParquetTarget implements Target {
    private static final Logger log = LoggerFactory.getLogger(ParquetTarget.class);
    private static final String SCAN_VIEW = "__tapline_arrow_scan";
    private static final String TMP_SUFFIX = ".tmp";
    private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    private final ParquetTargetConfig config;
    private final BufferAllocator allocator;
    private final DuckDBConnection conn;
    private final String runId;
    private final List<PendingFile> pending = new ArrayList<>();
    private long sequence;
    private boolean failed;
    private boolean closed;

    /** A part written under a temporary name (a file, or a folder tree when partitioned), not yet published. */
    private record PendingFile(Path streamDir, Path tmp, String name, boolean partitioned) {}

    private ParquetTarget(ParquetTargetConfig config, BufferAllocator parentAllocator) {
        this.config = config;
        this.runId = ZonedDateTime.now(ZoneOffset.UTC).format(RUN_TIME) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        try {
            Files.createDirectories(config.root());
        } catch (IOException e) {
            throw new TargetException("could not create Parquet root folder " + config.root(), e);
        }
        this.allocator = parentAllocator.newChildAllocator("parquet-target", 0, Long.MAX_VALUE);
        try {
            this.conn = DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
            try (Statement st = conn.createStatement()) {
                st.execute("SET TimeZone = 'UTC'"); // partition folder names of timestamp columns
            }
        } catch (SQLException | RuntimeException e) {
            allocator.close();
            throw new TargetException("could not open DuckDB for the Parquet target", e);
        }
    }

    /** Opens a target writing under {@code config.root()}, creating the folder if needed. */
    public static ParquetTarget open(ParquetTargetConfig config, BufferAllocator allocator) {
        return new ParquetTarget(requireNonNull(config, "config is null"), requireNonNull(allocator, "allocator is null"));
    }

    /** A config builder for a root folder. */
    public static ParquetTargetConfig.Builder at(Path root) {
        return ParquetTargetConfig.builder().root(root);
    }

    public ParquetTargetConfig config() { return config; }

    /** The dataset folder of {@code schema}'s stream. */
    public Path streamFolder(StreamSchema schema) {
        return config.root().resolve(TableNames.forStream(schema.stream()));
    }

    @Override
    public RecordHandling recordHandling() { return config.records(); }

    @Override
    public void open(StreamSchema schema) {
        checkOpen();
        try {
            Files.createDirectories(streamFolder(schema));
        } catch (IOException e) {
            throw new TargetException("could not create the Parquet folder of stream " + schema.stream(), e);
        }
    }

    @Override
    public void write(StreamSchema schema, VectorSchemaRoot batch) {
        checkOpen();
        checkNotFailed();
        if (batch.getRowCount() == 0) {
            return;
        }
        if (schema.columns().isEmpty()) {
            log.debug("Stream {}: no columns, so no Parquet file for {} rows", schema.stream(), batch.getRowCount());
            return;
        }
        Path dir = streamFolder(schema);
        String name = "part-" + runId + "-" + String.format(Locale.ROOT, "%06d", ++sequence);
        boolean partitioned = partitionColumn(schema) != null;
        Path tmp = dir.resolve("." + name + (partitioned ? "" : ".parquet") + TMP_SUFFIX);
        PendingFile file = new PendingFile(dir, tmp, name, partitioned);
        pending.add(file); // before writing, so close() removes whatever a failed COPY left behind
        try {
            Files.createDirectories(dir);
            copy(schema, batch, file);
        } catch (SQLException | IOException | RuntimeException e) {
            failed = true;
            throw new TargetException("could not write a Parquet file for stream " + schema.stream() + ": "
                    + e.getMessage(), e);
        }
        log.debug("Stream {}: wrote {} rows to {}", schema.stream(), batch.getRowCount(), tmp.getFileName());
    }

    private void copy(StreamSchema schema, VectorSchemaRoot batch, PendingFile file) throws SQLException {
        String select = schema.columns().stream()
                .map(c -> c.type() == ColumnType.JSON
                        ? "CAST(" + quote(c.name()) + " AS JSON) AS " + quote(c.name())
                        : quote(c.name()))
                .collect(Collectors.joining(", "));
        if (config.partitionByLoadDate()) {
            select += ", DATE '" + LocalDate.now(ZoneOffset.UTC) + "' AS " + quote(ParquetTargetConfig.LOAD_DATE_COLUMN);
        }
        StringBuilder options = new StringBuilder("FORMAT parquet, COMPRESSION ")
                .append(config.compression().duckDbName());
        if (file.partitioned()) {
            options.append(", PARTITION_BY (").append(quote(partitionColumn(schema))).append(')')
                    .append(", FILE_EXTENSION 'parquet").append(TMP_SUFFIX).append('\'');
        }
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, new BatchReader(allocator, batch), stream); // stream owns the reader
            conn.registerArrowStream(SCAN_VIEW, stream);
            try (Statement st = conn.createStatement()) {
                try {
                    st.execute("COPY (SELECT " + select + " FROM " + SCAN_VIEW + ") TO "
                            + literal(file.tmp().toString()) + " (" + options + ")");
                } finally {
                    st.execute("DROP VIEW IF EXISTS " + SCAN_VIEW); // releases the stream and its batch
                }
            }
        }
    }

    /** The partition column as the stream spells it, or null when the stream is written unpartitioned. */
    private String partitionColumn(StreamSchema schema) {
        if (config.partitionByLoadDate()) {
            return ParquetTargetConfig.LOAD_DATE_COLUMN;
        }
        if (config.partitionBy().isEmpty()) {
            return null;
        }
        for (Column c : schema.columns()) {
            if (c.name().equals(config.partitionBy().get())) {
                return c.name();
            }
        }
        return null;
    }

    /**
     * Publishes every part written since the last flush: fsync, atomic rename to the final name, fsync of
     * the folders. Blocks until done; on return every row handed to {@link #write} is durable.
     */
    @Override
    public void flush() {
        checkOpen();
        checkNotFailed();
        Set<Path> dirs = new LinkedHashSet<>();
        try {
            while (!pending.isEmpty()) {
                PendingFile file = pending.get(0);
                if (file.partitioned()) {
                    publishPartitioned(file, dirs);
                } else {
                    publish(file.tmp(), file.streamDir().resolve(file.name() + ".parquet"), dirs);
                }
                pending.remove(0);
            }
            for (Path dir : dirs) {
                fsyncDirectory(dir);
            }
        } catch (IOException | UncheckedIOException e) {
            failed = true;
            throw new TargetException("could not publish Parquet files under " + config.root() + ": "
                    + e.getMessage(), e);
        }
    }

    private void publishPartitioned(PendingFile file, Set<Path> dirs) throws IOException {
        if (!Files.exists(file.tmp())) {
            return;
        }
        List<Path> parts;
        try (Stream<Path> walk = Files.walk(file.tmp())) {
            parts = walk.filter(Files::isRegularFile).sorted().toList();
        }
        int n = 0;
        for (Path part : parts) {
            Path relativeDir = file.tmp().relativize(part.getParent());
            Path finalDir = file.streamDir().resolve(relativeDir.toString());
            Files.createDirectories(finalDir);
            publish(part, finalDir.resolve(file.name() + "-" + n++ + ".parquet"), dirs);
        }
        deleteTree(file.tmp());
    }

    private void publish(Path tmp, Path target, Set<Path> dirs) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        // the new directory entry, and the entries of folders created for it up to the root
        for (Path d = target.getParent(); d != null && d.startsWith(config.root()); d = d.getParent()) {
            dirs.add(d);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                return; // directories cannot be opened for fsync there; NTFS renames are journaled
            }
            throw e;
        }
    }

    /** Deletes the parts not yet published by a flush and releases the target. Idempotent; {@link #close()} after it does nothing more. */
    @Override
    public void abort() {
        close(); // close() already discards what no flush made durable; abort names that intent
    }

    /** Deletes unpublished files and frees DuckDB and Arrow memory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            for (PendingFile file : pending) {
                try {
                    deleteTree(file.tmp());
                } catch (IOException | UncheckedIOException e) {
                    log.warn("Could not delete unpublished Parquet file {}: {}", file.tmp(), e.getMessage());
                }
            }
            pending.clear();
            try {
                conn.close();
            } catch (SQLException e) {
                log.warn("Closing DuckDB failed: {}", e.getMessage());
            }
        } finally {
            allocator.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("target is closed");
        }
    }

    private void checkNotFailed() {
        if (failed) {
            throw new TargetException("the Parquet target failed earlier; nothing more is written or published");
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }
}
