package io.tapline.internal.state.postgres;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStoreException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run lease on one state id: a row in {@code <table>_tapline_lease} ({@code state_id}, a random {@code owner},
 * the holder's {@code host} and {@code pid}, {@code acquired_at}, {@code renewed_at}, {@code expires_at}). Times are
 * the database server's clock, so the hosts' clocks do not matter.
 *
 * <ul>
 *   <li>Taking it is one statement: an insert, or an update of a row whose {@code expires_at} has passed; a live row
 *       of another owner refuses the run ({@code STATE_LOCKED}, naming the holder).</li>
 *   <li>A daemon thread renews it every heartbeat ({@code expires_at = now() + ttl}) while it is still this owner's;
 *       a holder that dies (SIGKILL, a lost host) stops renewing, and the next run takes the lease once the TTL has
 *       passed since the last renewal.</li>
 *   <li>{@link #stillHeld} is checked inside each state write's transaction ({@code FOR SHARE}, so a takeover waits
 *       for the write or the write sees the takeover): a holder that was paused past its TTL cannot commit.</li>
 *   <li>{@link #close} stops the heartbeat and deletes the row if it is still this owner's. Idempotent, never throws;
 *       a row it could not delete expires.</li>
 * </ul>
 */
final class PostgresLease implements StateLock {
    private static final Logger log = LoggerFactory.getLogger(PostgresLease.class);

    private final PostgresClient client;
    private final String table;
    private final String stateId;
    private final String owner;
    private final StateBackendConfig.Lease timings;
    private final Runnable onClose;
    private final ScheduledExecutorService heartbeat;
    private boolean closed;
    private boolean lostLogged;

    private PostgresLease(PostgresClient client, String table, String stateId, String owner, StateBackendConfig.Lease timings,
            Runnable onClose) {
        this.client = client;
        this.table = table;
        this.stateId = stateId;
        this.owner = owner;
        this.timings = timings;
        this.onClose = onClose;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tapline-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = timings.heartbeat().toNanos();
        heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.NANOSECONDS);
    }

    static PostgresLease acquire(PostgresClient client, String table, String stateId, StateBackendConfig.Lease timings,
            Runnable onClose) {
        String owner = UUID.randomUUID().toString();
        long pid = ProcessHandle.current().pid();
        String host = hostName();
        boolean taken = client.call("taking the run lease of '" + stateId + "'", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
                    + " AS l (state_id, owner, host, pid, acquired_at, renewed_at, expires_at) "
                    + "VALUES (?, ?, ?, ?, clock_timestamp(), clock_timestamp(), clock_timestamp() + ? * interval '1 millisecond') "
                    + "ON CONFLICT (state_id) DO UPDATE SET owner = EXCLUDED.owner, host = EXCLUDED.host, pid = EXCLUDED.pid, "
                    + "acquired_at = EXCLUDED.acquired_at, renewed_at = EXCLUDED.renewed_at, expires_at = EXCLUDED.expires_at "
                    + "WHERE l.expires_at <= clock_timestamp() OR l.owner = EXCLUDED.owner RETURNING l.owner")) {
                ps.setString(1, stateId);
                ps.setString(2, owner);
                ps.setString(3, host);
                ps.setLong(4, pid);
                ps.setLong(5, timings.ttl().toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!taken) {
            Optional<String> holder = client.call("reading the run lease of '" + stateId + "'", c -> holder(c, table, stateId));
            throw new StateStoreException(ErrorCode.STATE_LOCKED, "Another '" + stateId + "' pipeline is already running"
                    + holder.map(h -> " (" + h + ")").orElse("") + ". To ignore this check use the '--force' option.");
        }
        log.debug("State id {}: run lease taken in {}", stateId, client.settings().described());
        return new PostgresLease(client, table, stateId, owner, timings, onClose);
    }

    private static Optional<String> holder(Connection c, String table, String stateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT host, pid, acquired_at, expires_at FROM " + table
                + " WHERE state_id = ?")) {
            ps.setString(1, stateId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of("on " + rs.getString(1) + ", pid " + rs.getLong(2) + ", since "
                        + rs.getTimestamp(3).toInstant() + "; its lease expires at " + rs.getTimestamp(4).toInstant()
                        + " unless renewed");
            }
        }
    }

    /** Whether this lease is still this owner's and unexpired; locks the row for the caller's transaction. */
    boolean stillHeld(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table
                + " WHERE state_id = ? AND owner = ? AND expires_at > clock_timestamp() FOR SHARE")) {
            ps.setString(1, stateId);
            ps.setString(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void renew() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        try {
            int updated = client.call("renewing the run lease of '" + stateId + "'", c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET renewed_at = clock_timestamp(), "
                        + "expires_at = clock_timestamp() + ? * interval '1 millisecond' "
                        + "WHERE state_id = ? AND owner = ? AND expires_at > clock_timestamp()")) {
                    ps.setLong(1, timings.ttl().toMillis());
                    ps.setString(2, stateId);
                    ps.setString(3, owner);
                    return ps.executeUpdate();
                }
            });
            if (updated == 0 && !lostLogged) {
                lostLogged = true;
                log.warn("State id {}: the run lease in {} expired or was taken over; this run's next state save will "
                        + "fail rather than overwrite a newer state", stateId, client.settings().described());
            }
        } catch (RuntimeException e) {
            log.warn("State id {}: could not renew the run lease ({}); it expires {} after its last renewal unless a later "
                    + "heartbeat gets through", stateId, e.getMessage(), timings.ttl());
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        heartbeat.shutdownNow();
        onClose.run();
        try {
            client.call("releasing the run lease of '" + stateId + "'", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE state_id = ? AND owner = ?")) {
                    ps.setString(1, stateId);
                    ps.setString(2, owner);
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            log.warn("State id {}: could not release the run lease ({}); it expires by itself within {}", stateId,
                    e.getMessage(), timings.ttl());
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }
}
