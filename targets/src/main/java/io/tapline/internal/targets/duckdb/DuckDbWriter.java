package io.tapline.internal.targets.duckdb;

import io.tapline.spi.TargetException;
import io.tapline.spi.Column;
import io.tapline.spi.StreamSchema;
import java.sql.SQLException;
import java.sql.Statement;
import io.tapline.spi.StreamName;
import io.tapline.spi.MetadataColumn;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Collectors;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The writer thread: the only user of the DuckDB connection. */
final class DuckDbWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DuckDbWriter.class);
    private static final String SCAN_VIEW = "__tapline_arrow_scan";
    private static final String STAGE = "__tapline_stage";
    private static final String LATEST = "__tapline_stage_latest";
    private static final String DELETED_AT = "_sdc_deleted_at";

    private final DuckDBConnection conn;
    private final String schema;
    private final BufferAllocator allocator;
    private final BlockingQueue<WriterItem> queue;
    private final TableEvolution tables;
    private final DuckDbTargetConfig.Deletes deletes;
    private final DuckDbTargetConfig.LoadMethod loadMethod;
    private final Set<StreamName> overwritten = new HashSet<>();
    private volatile Throwable failure;
    private SegmentReader currentSegment;

    DuckDbWriter(DuckDBConnection conn, DuckDbTargetConfig config, BufferAllocator allocator,
            BlockingQueue<WriterItem> queue) throws SQLException {
        this.conn = conn;
        this.schema = config.schema();
        this.deletes = config.deletes();
        this.loadMethod = config.loadMethod();
        this.tables = new TableEvolution(conn, schema, Clock.systemUTC());
        this.allocator = allocator;
        this.queue = queue;
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.quote(schema));
        }
        conn.commit();
    }

    Optional<Throwable> failure() { return Optional.ofNullable(failure); }

    @Override
    public void run() {
        WriterItem pending = null;
        while (true) {
            WriterItem item;
            try {
                item = pending != null ? pending : queue.take();
            } catch (InterruptedException e) {
                failure = new TargetException("DuckDB writer interrupted");
                return;
            }
            pending = null;
            if (failure != null) {
                // failed: answer flushes with the failure and drain, so the producer never blocks on a full queue
                if (item instanceof WriterItem.Close) {
                    return;
                } else if (item instanceof WriterItem.Flush flush) {
                    flush.done().completeExceptionally(failure);
                } else {
                    item.release();
                }
                continue;
            }
            try {
                if (item instanceof WriterItem.Open open) {
                    tables.ensureTable(open.schema());
                    overwrite(open.schema());
                } else if (item instanceof WriterItem.ActivateVersion activate) {
                    activateVersion(activate.schema(), activate.version());
                } else if (item instanceof WriterItem.Batch batch) {
                    currentSegment = new SegmentReader(allocator, batch, queue);
                    insertSegment(currentSegment);
                    pending = currentSegment.terminator();
                } else if (item instanceof WriterItem.Flush flush) {
                    conn.commit();
                    flush.done().complete(null);
                } else if (item instanceof WriterItem.Close) {
                    rollbackQuietly();
                    return;
                }
            } catch (Throwable t) {
                failure = t;
                rollbackQuietly();
                log.debug("DuckDB writer failed", t);
                if (item instanceof WriterItem.Flush flush) {
                    flush.done().completeExceptionally(t);
                }
                // DuckDB may have taken the flush or close that ended the failed segment: handle it next
                pending = currentSegment != null ? currentSegment.terminator() : null;
            } finally {
                currentSegment = null;
            }
        }
    }

    /** Inserts the segment: its first batch and every batch of the same schema queued right behind it. */
    private void insertSegment(SegmentReader reader) throws SQLException {
        StreamSchema streamSchema = reader.streamSchema();
        String table = Sql.qualified(schema, TableNames.forStream(streamSchema.stream()));
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, reader, stream); // the stream now owns the reader
            conn.registerArrowStream(SCAN_VIEW, stream);
            try (Statement st = conn.createStatement()) {
                String columns = streamSchema.columns().stream().map(c -> Sql.quote(c.name()))
                        .collect(Collectors.joining(", "));
                if (!streamSchema.hasKeys() || loadMethod == DuckDbTargetConfig.LoadMethod.APPEND_ONLY) {
                    st.execute("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + SCAN_VIEW);
                } else {
                    upsert(st, table, streamSchema, columns);
                }
                hardDelete(st, table, streamSchema);
                st.execute("DROP VIEW IF EXISTS " + SCAN_VIEW); // releases the stream and its last batch
            }
        }
        log.debug("Stream {}: inserted {} rows", streamSchema.stream(), reader.rowsLoaded());
    }

    /**
     * Last record per key wins, within the segment and against the table. Existing rows are updated in place, so
     * columns the segment's schema does not have (e.g. a column versioned away by a type change) keep their values.
     */
    private void upsert(Statement st, String table, StreamSchema s, String columns) throws SQLException {
        String keys = s.keyProperties().stream().map(Sql::quote).collect(Collectors.joining(", "));
        String keyMatch = s.keyProperties().stream()
                .map(k -> "t." + Sql.quote(k) + " = s." + Sql.quote(k))
                .collect(Collectors.joining(" AND "));
        st.execute("CREATE OR REPLACE TEMP TABLE " + STAGE + " AS SELECT " + columns + " FROM " + SCAN_VIEW);
        // rowid follows insertion order in the fresh stage table, so DESC picks each key's last record
        st.execute("CREATE OR REPLACE TEMP TABLE " + LATEST + " AS SELECT " + columns + " FROM " + STAGE
                + " QUALIFY row_number() OVER (PARTITION BY " + keys + " ORDER BY rowid DESC) = 1");
        Set<String> keySet = s.keyProperties().stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        String assignments = s.columns().stream()
                .filter(c -> !keySet.contains(c.name().toLowerCase(Locale.ROOT)))
                .map(c -> Sql.quote(c.name()) + " = s." + Sql.quote(c.name()))
                .collect(Collectors.joining(", "));
        if (!assignments.isEmpty()) {
            st.execute("UPDATE " + table + " AS t SET " + assignments + " FROM " + LATEST + " AS s WHERE " + keyMatch);
        }
        st.execute("INSERT INTO " + table + " (" + columns + ") SELECT " + columns + " FROM " + LATEST + " AS s"
                + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " AS t WHERE " + keyMatch + ")");
        st.execute("DROP TABLE " + STAGE);
        st.execute("DROP TABLE " + LATEST);
    }

    /** {@code overwrite}: the first time the run opens a stream, its table is emptied (in the open transaction). */
    private void overwrite(StreamSchema s) throws SQLException {
        if (loadMethod == DuckDbTargetConfig.LoadMethod.OVERWRITE && overwritten.add(s.stream())) {
            try (Statement st = conn.createStatement()) {
                st.execute("DELETE FROM " + Sql.qualified(schema, TableNames.forStream(s.stream())));
            }
            log.info("Stream {}: load_method overwrite emptied its table", s.stream());
        }
    }

    /**
     * Rows of table versions older than {@code version}, or of none (loaded without a version), are deleted
     * ({@code HARD_DELETE}) or get {@code _sdc_deleted_at} set (soft delete), as the Singer SDK's SQL targets do.
     */
    private void activateVersion(StreamSchema s, long version) throws SQLException {
        String table = Sql.qualified(schema, TableNames.forStream(s.stream()));
        Column versionColumn = s.column(MetadataColumn.TABLE_VERSION.columnName());
        Column deletedAt = s.column(MetadataColumn.DELETED_AT.columnName());
        if (versionColumn == null || deletedAt == null) {
            throw new TargetException("stream '" + s.stream() + "' has no table version columns for ACTIVATE_VERSION");
        }
        String older = "(" + Sql.quote(versionColumn.name()) + " < " + version + " OR "
                + Sql.quote(versionColumn.name()) + " IS NULL)";
        try (Statement st = conn.createStatement()) {
            if (deletes == DuckDbTargetConfig.Deletes.HARD_DELETE) {
                int n = st.executeUpdate("DELETE FROM " + table + " WHERE " + older);
                log.info("Stream {}: ACTIVATE_VERSION {} deleted {} rows of older versions", s.stream(), version, n);
            } else {
                int n = st.executeUpdate("UPDATE " + table + " SET " + Sql.quote(deletedAt.name()) + " = '"
                        + Instant.now() + "' WHERE " + older + " AND " + Sql.quote(deletedAt.name()) + " IS NULL");
                log.info("Stream {}: ACTIVATE_VERSION {} marked {} rows of older versions deleted", s.stream(),
                        version, n);
            }
        }
    }

    /** With {@code HARD_DELETE}, rows the source marked deleted leave the table. */
    private void hardDelete(Statement st, String table, StreamSchema s) throws SQLException {
        if (deletes != DuckDbTargetConfig.Deletes.HARD_DELETE) {
            return;
        }
        for (Column c : s.columns()) {
            if (c.name().equalsIgnoreCase(DELETED_AT)) {
                st.execute("DELETE FROM " + table + " WHERE " + Sql.quote(c.name()) + " IS NOT NULL");
                return;
            }
        }
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed", e);
        }
    }

    void closeConnection() {
        try {
            conn.close();
        } catch (SQLException e) {
            log.warn("Closing DuckDB failed: {}", e.getMessage());
        }
    }
}
