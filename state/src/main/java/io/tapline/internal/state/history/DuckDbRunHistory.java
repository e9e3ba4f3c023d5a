package io.tapline.internal.state.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tapline.spi.StateStoreException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run history in a DuckDB file (by default {@code <project>/.tapline/system.duckdb}). DuckDB
 * lets one process at a time open a file for writing, so every call opens, works and closes, retrying
 * for a while when another tapline process holds the file: concurrent runs only queue for milliseconds.
 *
 * <p>Tables (queryable with any DuckDB client): {@code runs}, {@code run_streams}, {@code run_columns};
 * see the README for their columns.
 */
public final class DuckDbRunHistory implements RunHistory {
    private static final Duration LOCK_WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RUN_COLUMNS = "run_id, pipeline, state_id, epoch_ms(started_at), epoch_ms(ended_at), "
            + "status, error, exit_code, rows_committed, bytes_read, CAST(state_before AS VARCHAR), "
            + "CAST(state_after AS VARCHAR), pid, host";

    private final Path file;
    private final String host;

    private DuckDbRunHistory(Path file) {
        this.file = file;
        this.host = hostName();
    }

    /** The history in {@code file}, created with its tables when missing. */
    public static DuckDbRunHistory open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DuckDbRunHistory h = new DuckDbRunHistory(file);
        h.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS runs (run_id VARCHAR NOT NULL, pipeline VARCHAR NOT NULL, "
                        + "state_id VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ, "
                        + "status VARCHAR NOT NULL, error VARCHAR, exit_code INTEGER, rows_committed BIGINT, "
                        + "bytes_read BIGINT, duration_ms BIGINT, state_before JSON, state_after JSON, pid BIGINT, "
                        + "host VARCHAR)");
                s.execute("CREATE TABLE IF NOT EXISTS run_streams (run_id VARCHAR NOT NULL, stream VARCHAR NOT NULL, "
                        + "rows BIGINT, bytes BIGINT, schema_changes JSON)");
                s.execute("CREATE TABLE IF NOT EXISTS run_columns (run_id VARCHAR NOT NULL, stream VARCHAR NOT NULL, "
                        + "ordinal INTEGER, column_name VARCHAR, column_type VARCHAR, null_count BIGINT)");
            }
            return null;
        });
        return h;
    }

    public Path file() { return file; }

    @Override
    public void started(RunRecord run) {
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (run_id, pipeline, state_id, started_at, "
                    + "status, state_before, pid, host) VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ), ?, CAST(? AS JSON), ?, ?)")) {
                ps.setString(1, run.runId());
                ps.setString(2, run.pipeline());
                ps.setString(3, run.stateId());
                ps.setString(4, run.startedAt().toString());
                ps.setString(5, RunStatus.RUNNING.label());
                setOptional(ps, 6, run.stateBefore());
                ps.setLong(7, run.pid());
                ps.setString(8, run.host());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void finished(RunRecord run) {
        withConnection(c -> {
            c.setAutoCommit(false);
            try {
                delete(c, "runs", run.runId());
                delete(c, "run_streams", run.runId());
                delete(c, "run_columns", run.runId());
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs VALUES (?, ?, ?, CAST(? AS TIMESTAMPTZ), "
                        + "CAST(? AS TIMESTAMPTZ), ?, ?, ?, ?, ?, ?, CAST(? AS JSON), CAST(? AS JSON), ?, ?)")) {
                    ps.setString(1, run.runId());
                    ps.setString(2, run.pipeline());
                    ps.setString(3, run.stateId());
                    ps.setString(4, run.startedAt().toString());
                    setOptional(ps, 5, run.endedAt().map(Instant::toString));
                    ps.setString(6, run.status().label());
                    setOptional(ps, 7, run.error());
                    if (run.exitCode().isPresent()) {
                        ps.setInt(8, run.exitCode().get());
                    } else {
                        ps.setNull(8, Types.INTEGER);
                    }
                    if (run.rowsCommitted().isPresent()) {
                        ps.setLong(9, run.rowsCommitted().get());
                    } else {
                        ps.setNull(9, Types.BIGINT);
                    }
                    ps.setLong(10, run.bytesRead());
                    if (run.duration().isPresent()) {
                        ps.setLong(11, run.duration().get().toMillis());
                    } else {
                        ps.setNull(11, Types.BIGINT);
                    }
                    setOptional(ps, 12, run.stateBefore());
                    setOptional(ps, 13, run.stateAfter());
                    ps.setLong(14, run.pid());
                    ps.setString(15, run.host());
                    ps.executeUpdate();
                }
                try (PreparedStatement streams = c.prepareStatement("INSERT INTO run_streams VALUES (?, ?, ?, ?, CAST(? AS JSON))");
                     PreparedStatement columns = c.prepareStatement("INSERT INTO run_columns VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (StreamRecord s : run.streams()) {
                        streams.setString(1, run.runId());
                        streams.setString(2, s.stream());
                        streams.setLong(3, s.rows());
                        streams.setLong(4, s.bytes());
                        streams.setString(5, json(s.schemaChanges()));
                        streams.addBatch();
                        int ordinal = 0;
                        for (ColumnStats col : s.columns()) {
                            columns.setString(1, run.runId());
                            columns.setString(2, s.stream());
                            columns.setInt(3, ordinal++);
                            columns.setString(4, col.name());
                            columns.setString(5, col.type());
                            columns.setLong(6, col.nullCount());
                            columns.addBatch();
                        }
                    }
                    streams.executeBatch();
                    columns.executeBatch();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            return null;
        });
    }

    @Override
    public List<RunRecord> list(int limit, Optional<String> pipeline) {
        return withConnection(c -> {
            String sql = "SELECT " + RUN_COLUMNS + " FROM runs" + (pipeline.isPresent() ? " WHERE pipeline = ?" : "")
                    + " ORDER BY started_at DESC, run_id LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                if (pipeline.isPresent()) {
                    ps.setString(i++, pipeline.get());
                }
                ps.setInt(i, limit);
                List<RunRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(run(rs, List.of()));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<RunRecord> find(String runIdOrPrefix) {
        return withConnection(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM runs WHERE starts_with(run_id, ?) LIMIT 2")) {
                ps.setString(1, runIdOrPrefix);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            if (ids.size() > 1 && !ids.contains(runIdOrPrefix)) {
                throw new StateStoreException("run id prefix '" + runIdOrPrefix + "' matches more than one run");
            }
            return ids.isEmpty() ? Optional.<RunRecord>empty()
                    : load(c, ids.contains(runIdOrPrefix) ? runIdOrPrefix : ids.get(0));
        });
    }

    @Override
    public Optional<RunRecord> lastSuccessful(String pipeline, String exceptRunId) {
        return withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM runs WHERE pipeline = ? AND run_id <> ? "
                    + "AND ended_at IS NOT NULL AND status = ? ORDER BY started_at DESC LIMIT 1")) {
                ps.setString(1, pipeline);
                ps.setString(2, exceptRunId);
                ps.setString(3, RunStatus.SUCCESS.label());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? load(c, rs.getString(1)) : Optional.<RunRecord>empty();
                }
            }
        });
    }

    @Override
    public List<PipelineTotals> pipelines() {
        return withConnection(c -> {
            List<Object[]> rows = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pipeline, count(*), count(*) FILTER (WHERE status = 'failed'), "
                         + "arg_max(run_id, started_at) FROM runs WHERE ended_at IS NOT NULL GROUP BY pipeline "
                         + "ORDER BY pipeline")) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4)});
                }
            }
            List<PipelineTotals> out = new ArrayList<>();
            for (Object[] r : rows) {
                Optional<RunRecord> latest = load(c, (String) r[3]);
                if (latest.isPresent()) {
                    out.add(new PipelineTotals((String) r[0], (Long) r[1], (Long) r[2], latest.get()));
                }
            }
            return out;
        });
    }

    private Optional<RunRecord> load(Connection c, String runId) throws SQLException {
        Map<String, List<ColumnStats>> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT stream, column_name, column_type, null_count FROM run_columns "
                + "WHERE run_id = ? ORDER BY stream, ordinal")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new ColumnStats(rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        List<StreamRecord> streams = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT stream, rows, bytes, CAST(schema_changes AS VARCHAR) "
                + "FROM run_streams WHERE run_id = ? ORDER BY stream")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String stream = rs.getString(1);
                    streams.add(new StreamRecord(stream, rs.getLong(2), rs.getLong(3),
                            columns.getOrDefault(stream, List.of()), strings(rs.getString(4))));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(run(rs, streams)) : Optional.empty();
            }
        }
    }

    private RunRecord run(ResultSet rs, List<StreamRecord> streams) throws SQLException {
        RunStatus status = RunStatus.valueOf(rs.getString(6).toUpperCase(java.util.Locale.ROOT));
        long pid = rs.getLong(13);
        String runHost = rs.getString(14);
        if (status == RunStatus.RUNNING && host.equals(runHost) && !alive(pid)) {
            status = RunStatus.ABANDONED; // its process is gone: it will never finish
        }
        long ended = rs.getLong(5);
        Optional<Instant> endedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(ended));
        int exit = rs.getInt(8);
        Optional<Integer> exitCode = rs.wasNull() ? Optional.empty() : Optional.of(exit);
        long rows = rs.getLong(9);
        Optional<Long> rowsCommitted = rs.wasNull() ? Optional.empty() : Optional.of(rows);
        return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                endedAt, status, Optional.ofNullable(rs.getString(7)), exitCode, rowsCommitted, rs.getLong(10),
                Optional.ofNullable(rs.getString(11)), Optional.ofNullable(rs.getString(12)), pid,
                runHost == null ? "" : runHost, streams);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** This host's name, to tell whether a 'running' row's pid can be checked here. */
    public String host() { return host; }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static void delete(Connection c, String table, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            ps.executeUpdate();
        }
    }

    private static void setOptional(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static String json(List<String> values) {
        ArrayNode a = MAPPER.createArrayNode();
        values.forEach(a::add);
        return a.toString();
    }

    private static List<String> strings(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode n : MAPPER.readTree(json)) {
                out.add(n.asText());
            }
            return out;
        } catch (JsonProcessingException e) {
            return List.of(json);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        long backoffMs = 20;
        while (true) {
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath())) {
                return work.apply(c);
            } catch (SQLException e) {
                boolean locked = String.valueOf(e.getMessage()).contains("lock");
                if (!locked || System.nanoTime() > deadline) {
                    throw new StateStoreException("run history " + file + ": " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(backoffMs);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new StateStoreException("interrupted waiting for the run history " + file, ie);
            }
            backoffMs = Math.min(backoffMs * 2, 500);
        }
    }
}
