package io.tapline.internal.state.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tapline.internal.state.history.ColumnStats;
import io.tapline.internal.state.history.RunHistory;
import io.tapline.internal.state.history.RunRecord;
import io.tapline.internal.state.history.RunStatus;
import io.tapline.internal.state.history.StreamRecord;
import io.tapline.spi.StateStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The run history in PostgreSQL, in the same tables as the DuckDB history ({@code runs}, {@code run_streams},
 * {@code run_columns}, same columns; JSON columns are {@code json}, kept as written), so runs from many hosts land in one place and
 * {@code tapline runs} reads them all. A run still {@code running} on this host whose process is gone reads back as
 * abandoned, as in the DuckDB history; one on another host stays {@code running} until that host records its end.
 * One connection per call (see {@link PostgresClient}). Thread-safe.
 */
final class PostgresRunHistory implements RunHistory {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RUN_COLUMNS = "run_id, pipeline, state_id, started_at, ended_at, status, error, exit_code, "
            + "rows_committed, bytes_read, state_before::text, state_after::text, pid, host";

    private final PostgresClient client;
    private final String host = PostgresLease.hostName();
    private final String runs;
    private final String streams;
    private final String columns;

    PostgresRunHistory(PostgresClient client) {
        this.client = client;
        PostgresSettings s = client.settings();
        this.runs = s.qualified("runs");
        this.streams = s.qualified("run_streams");
        this.columns = s.qualified("run_columns");
    }

    void ensureTables() {
        client.call("creating the run history tables", c -> {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + PostgresStateBackend.lockKey("tapline:create-history") + ")");
                st.execute("CREATE TABLE IF NOT EXISTS " + runs + " (run_id VARCHAR NOT NULL PRIMARY KEY, "
                        + "pipeline VARCHAR NOT NULL, state_id VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, "
                        + "ended_at TIMESTAMPTZ, status VARCHAR NOT NULL, error VARCHAR, exit_code INTEGER, "
                        + "rows_committed BIGINT, bytes_read BIGINT, duration_ms BIGINT, state_before JSON, "
                        + "state_after JSON, pid BIGINT, host VARCHAR)");
                st.execute("CREATE TABLE IF NOT EXISTS " + streams + " (run_id VARCHAR NOT NULL, stream VARCHAR NOT NULL, "
                        + "rows BIGINT, bytes BIGINT, schema_changes JSON)");
                st.execute("CREATE TABLE IF NOT EXISTS " + columns + " (run_id VARCHAR NOT NULL, stream VARCHAR NOT NULL, "
                        + "ordinal INTEGER, column_name VARCHAR, column_type VARCHAR, null_count BIGINT)");
                st.execute("CREATE INDEX IF NOT EXISTS run_streams_run_id ON " + streams + " (run_id)");
                st.execute("CREATE INDEX IF NOT EXISTS run_columns_run_id ON " + columns + " (run_id)");
                c.commit();
            }
            return null;
        });
    }

    @Override
    public void started(RunRecord run) {
        client.call("recording the start of run " + run.runId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + runs + " (run_id, pipeline, state_id, "
                    + "started_at, status, state_before, pid, host) VALUES (?, ?, ?, ?, ?, CAST(? AS JSON), ?, ?) "
                    + "ON CONFLICT (run_id) DO NOTHING")) {
                ps.setString(1, run.runId());
                ps.setString(2, run.pipeline());
                ps.setString(3, run.stateId());
                ps.setTimestamp(4, Timestamp.from(run.startedAt()));
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
        client.call("recording the end of run " + run.runId(), c -> {
            c.setAutoCommit(false);
            try {
                for (String table : List.of(runs, streams, columns)) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                        ps.setString(1, run.runId());
                        ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + runs + " (run_id, pipeline, state_id, "
                        + "started_at, ended_at, status, error, exit_code, rows_committed, bytes_read, duration_ms, "
                        + "state_before, state_after, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS JSON), "
                        + "CAST(? AS JSON), ?, ?)")) {
                    ps.setString(1, run.runId());
                    ps.setString(2, run.pipeline());
                    ps.setString(3, run.stateId());
                    ps.setTimestamp(4, Timestamp.from(run.startedAt()));
                    if (run.endedAt().isPresent()) {
                        ps.setTimestamp(5, Timestamp.from(run.endedAt().get()));
                    } else {
                        ps.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
                    }
                    ps.setString(6, run.status().label());
                    setOptional(ps, 7, run.error());
                    setLong(ps, 8, run.exitCode().map(Integer::longValue));
                    setLong(ps, 9, run.rowsCommitted());
                    ps.setLong(10, run.bytesRead());
                    setLong(ps, 11, run.duration().map(d -> d.toMillis()));
                    setOptional(ps, 12, run.stateBefore());
                    setOptional(ps, 13, run.stateAfter());
                    ps.setLong(14, run.pid());
                    ps.setString(15, run.host());
                    ps.executeUpdate();
                }
                try (PreparedStatement st = c.prepareStatement("INSERT INTO " + streams + " VALUES (?, ?, ?, ?, CAST(? AS JSON))");
                     PreparedStatement co = c.prepareStatement("INSERT INTO " + columns + " VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (StreamRecord s : run.streams()) {
                        st.setString(1, run.runId());
                        st.setString(2, s.stream());
                        st.setLong(3, s.rows());
                        st.setLong(4, s.bytes());
                        st.setString(5, json(s.schemaChanges()));
                        st.addBatch();
                        int ordinal = 0;
                        for (ColumnStats col : s.columns()) {
                            co.setString(1, run.runId());
                            co.setString(2, s.stream());
                            co.setInt(3, ordinal++);
                            co.setString(4, col.name());
                            co.setString(5, col.type());
                            co.setLong(6, col.nullCount());
                            co.addBatch();
                        }
                    }
                    st.executeBatch();
                    co.executeBatch();
                }
                c.commit();
                return null;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        });
    }

    @Override
    public List<RunRecord> list(int limit, Optional<String> pipeline) {
        return client.call("listing runs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM " + runs
                    + (pipeline.isPresent() ? " WHERE pipeline = ?" : "") + " ORDER BY started_at DESC, run_id LIMIT ?")) {
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
        return client.call("finding run " + runIdOrPrefix, c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM " + runs
                    + " WHERE left(run_id, length(?)) = ? LIMIT 2")) {
                ps.setString(1, runIdOrPrefix);
                ps.setString(2, runIdOrPrefix);
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
        return client.call("reading the last successful run of " + pipeline, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM " + runs + " WHERE pipeline = ? AND "
                    + "run_id <> ? AND ended_at IS NOT NULL AND status = ? ORDER BY started_at DESC LIMIT 1")) {
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
        return client.call("reading pipeline totals", c -> {
            List<Object[]> rows = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT t.pipeline, t.runs, t.failures, l.run_id FROM (SELECT pipeline, "
                         + "count(*) AS runs, count(*) FILTER (WHERE status = 'failed') AS failures FROM " + runs
                         + " WHERE ended_at IS NOT NULL GROUP BY pipeline) t JOIN (SELECT DISTINCT ON (pipeline) pipeline, "
                         + "run_id FROM " + runs + " WHERE ended_at IS NOT NULL ORDER BY pipeline, started_at DESC) l "
                         + "ON l.pipeline = t.pipeline ORDER BY t.pipeline")) {
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
        Map<String, List<ColumnStats>> cols = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT stream, column_name, column_type, null_count FROM "
                + columns + " WHERE run_id = ? ORDER BY stream, ordinal")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new ColumnStats(rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        List<StreamRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT stream, rows, bytes, schema_changes::text FROM " + streams
                + " WHERE run_id = ? ORDER BY stream")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String stream = rs.getString(1);
                    out.add(new StreamRecord(stream, rs.getLong(2), rs.getLong(3), cols.getOrDefault(stream, List.of()),
                            strings(rs.getString(4))));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM " + runs + " WHERE run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(run(rs, out)) : Optional.empty();
            }
        }
    }

    private RunRecord run(ResultSet rs, List<StreamRecord> streamRecords) throws SQLException {
        RunStatus status = RunStatus.valueOf(rs.getString(6).toUpperCase(Locale.ROOT));
        long pid = rs.getLong(13);
        String runHost = rs.getString(14);
        if (status == RunStatus.RUNNING && host.equals(runHost)
                && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            status = RunStatus.ABANDONED; // its process is gone: it will never finish
        }
        Timestamp ended = rs.getTimestamp(5);
        int exit = rs.getInt(8);
        Optional<Integer> exitCode = rs.wasNull() ? Optional.empty() : Optional.of(exit);
        long rows = rs.getLong(9);
        Optional<Long> rowsCommitted = rs.wasNull() ? Optional.empty() : Optional.of(rows);
        return new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                Optional.ofNullable(ended).map(Timestamp::toInstant), status, Optional.ofNullable(rs.getString(7)),
                exitCode, rowsCommitted, rs.getLong(10), Optional.ofNullable(rs.getString(11)),
                Optional.ofNullable(rs.getString(12)), pid, runHost == null ? "" : runHost, streamRecords);
    }

    private static void setOptional(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
        if (v.isPresent()) {
            ps.setString(i, v.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Optional<Long> v) throws SQLException {
        if (v.isPresent()) {
            ps.setLong(i, v.get());
        } else {
            ps.setNull(i, Types.BIGINT);
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
}
