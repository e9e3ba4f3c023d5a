package io.tapline.internal.state.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.protocol.catalog.Glob;
import io.tapline.internal.state.StateMerge;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStoreException;
import io.tapline.spi.StateWriteMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * State in a PostgreSQL table laid out as Meltano's PostgreSQL state backend add-on lays it out:
 * <pre>
 * CREATE TABLE state (state_id VARCHAR(900) PRIMARY KEY, partial_state TEXT, completed_state TEXT,
 *                     updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)
 * </pre>
 * {@code completed_state} and {@code partial_state} hold Meltano's JSON, {@code {"singer_state": {...}}}; an empty
 * part is written as {@code {}} (which the add-on and Meltano's system database both read) and read back from
 * {@code {}} or {@code NULL}. Every write is one transaction that first takes the add-on's own advisory lock for
 * the state id ({@code pg_advisory_xact_lock} on the first 8 bytes of the id's MD5, the key the add-on's
 * {@code acquire_lock} uses), so tapline's and Meltano's read-merge-writes never interleave.
 *
 * <p>The run lock is a lease row in {@code <table>_tapline_lease} (see {@link PostgresLease}); while this backend
 * holds a state id's lease, a save of that id commits only if the lease is still its own and unexpired, checked in
 * the same transaction as the write, so a run paused past its lease never overwrites a newer state.
 *
 * <p>Holds no connection between calls (see {@link PostgresClient}); {@link #close} releases the leases still held.
 * Thread-safe.
 */
final class PostgresStateBackend implements StateBackend {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SINGER_STATE = "singer_state";

    private final PostgresClient client;
    private final StateBackendConfig.Lease leaseTimings;
    private final String stateTable;
    private final String leaseTable;
    private final Map<String, PostgresLease> held = new ConcurrentHashMap<>();

    PostgresStateBackend(PostgresClient client, StateBackendConfig.Lease leaseTimings) {
        this.client = client;
        this.leaseTimings = leaseTimings;
        this.stateTable = client.settings().qualified(client.settings().table());
        this.leaseTable = client.settings().qualified(leaseTableName(client.settings().table()));
    }

    static String leaseTableName(String stateTable) {
        return stateTable + "_tapline_lease";
    }

    /** Creates the state and lease tables when missing; the first round trip, so it also proves the server is there. */
    void ensureTables() {
        client.call("creating the state tables", c -> {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL lock_timeout = '30s'");
                // one creator at a time: CREATE TABLE IF NOT EXISTS races on the catalog otherwise
                st.execute("SELECT pg_advisory_xact_lock(" + lockKey("tapline:create-tables") + ")");
                st.execute("CREATE TABLE IF NOT EXISTS " + stateTable + " (state_id VARCHAR(900) PRIMARY KEY, "
                        + "partial_state TEXT, completed_state TEXT, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)");
                st.execute("CREATE TABLE IF NOT EXISTS " + leaseTable + " (state_id VARCHAR(900) PRIMARY KEY, "
                        + "owner VARCHAR(64) NOT NULL, host TEXT NOT NULL, pid BIGINT NOT NULL, "
                        + "acquired_at TIMESTAMPTZ NOT NULL, renewed_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL)");
                c.commit();
            }
            return null;
        });
    }

    @Override
    public String describe() {
        return client.settings().described();
    }

    @Override
    public Optional<StateBlob> read(String stateId) {
        Optional<Row> row = client.call("reading state '" + stateId + "'", c -> load(c, stateId, false));
        if (row.isEmpty()) {
            return Optional.empty();
        }
        JsonNode merged = StateMerge.merge(row.get().partial(), row.get().completed());
        JsonNode singer = merged.get(SINGER_STATE);
        return singer == null || singer.isNull() ? Optional.empty() : Optional.of(new StateBlob(singer.toString()));
    }

    @Override
    public void save(String stateId, StateBlob state, StateWriteMode mode) {
        ObjectNode wrapped = JSON.createObjectNode();
        wrapped.set(SINGER_STATE, parse(state.json(), "the state to save"));
        Optional<PostgresLease> lease = Optional.ofNullable(held.get(stateId));
        client.call("saving state '" + stateId + "'", c -> {
            c.setAutoCommit(false);
            try {
                lockStateId(c, stateId);
                if (lease.isPresent() && !lease.get().stillHeld(c)) {
                    c.rollback();
                    throw new StateStoreException(ErrorCode.STATE_LEASE_LOST, "State backend " + describe()
                            + ": the run lease on '" + stateId + "' expired or was taken over by another run; this run's "
                            + "state is not saved, so it cannot overwrite a newer one");
                }
                JsonNode completed;
                JsonNode partial;
                if (mode == StateWriteMode.COMPLETE) {
                    completed = wrapped;
                    partial = JSON.createObjectNode();
                } else {
                    Row old = load(c, stateId, true).orElseGet(() -> new Row(JSON.createObjectNode(), JSON.createObjectNode()));
                    completed = old.completed();
                    partial = StateMerge.merge(wrapped, old.partial());
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + stateTable
                        + " (state_id, partial_state, completed_state, updated_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP) "
                        + "ON CONFLICT (state_id) DO UPDATE SET partial_state = EXCLUDED.partial_state, "
                        + "completed_state = EXCLUDED.completed_state, updated_at = CURRENT_TIMESTAMP")) {
                    ps.setString(1, stateId);
                    ps.setString(2, partial.toString());
                    ps.setString(3, completed.toString());
                    ps.executeUpdate();
                }
                c.commit();
                return null;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        });
    }

    @Override
    public void clear(String stateId) {
        client.call("clearing state '" + stateId + "'", c -> {
            c.setAutoCommit(false);
            try {
                lockStateId(c, stateId);
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + stateTable + " WHERE state_id = ?")) {
                    ps.setString(1, stateId);
                    ps.executeUpdate();
                }
                c.commit();
                return null;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        });
    }

    /** The ids with a row, sorted; {@code glob} matches as Python's {@code fnmatch} (as {@code meltano state list}). */
    @Override
    public List<String> stateIds(Optional<String> glob) {
        Predicate<String> matches = glob.map(g -> Glob.compile(g).asMatchPredicate()).orElse(id -> true);
        List<String> all = client.call("listing state ids", c -> {
            List<String> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT state_id FROM " + stateTable + " ORDER BY state_id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        return all.stream().filter(matches).sorted().toList();
    }

    /**
     * Takes the run lease of {@code stateId} (see {@link PostgresLease}).
     *
     * @throws StateStoreException {@code STATE_LOCKED} naming the holder while another run's lease is live
     */
    @Override
    public StateLock lock(String stateId) {
        PostgresLease lease = PostgresLease.acquire(client, leaseTable, stateId, leaseTimings, () -> held.remove(stateId));
        held.put(stateId, lease);
        return lease;
    }

    /** Releases the leases still held (each is also released by closing its lock). Idempotent, never throws. */
    @Override
    public void close() {
        for (PostgresLease lease : List.copyOf(held.values())) {
            lease.close();
        }
    }

    private record Row(JsonNode partial, JsonNode completed) {}

    private Optional<Row> load(Connection c, String stateId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT partial_state, completed_state FROM " + stateTable
                + " WHERE state_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, stateId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Row(part(rs.getString(1), stateId), part(rs.getString(2), stateId)));
            }
        }
    }

    private JsonNode part(String text, String stateId) {
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        JsonNode node = parse(text, "the stored state of '" + stateId + "'");
        return node.isObject() ? node : JSON.createObjectNode();
    }

    private static JsonNode parse(String json, String what) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new StateStoreException(what + " is not valid JSON", e);
        }
    }

    /** The add-on's lock for {@code stateId}, held to the end of this transaction; waits at most 30 s. */
    private static void lockStateId(Connection c, String stateId) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '30s'");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, lockKey(stateId));
            ps.execute();
        }
    }

    /** The add-on's advisory lock key: the first 8 bytes of the MD5 of the UTF-8 state id, big-endian, signed. */
    static long lockKey(String stateId) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(stateId.getBytes(StandardCharsets.UTF_8));
            long key = 0;
            for (int i = 0; i < 8; i++) {
                key = (key << 8) | (md5[i] & 0xFF);
            }
            return key;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no MD5", e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed next; the server rolls back anyway
        }
    }
}
