package io.tapline.internal.state.postgres;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a connection per call ({@link #call}) with bounded connect and socket timeouts, and retries a call that
 * failed on the connection (server unreachable, restarting, dropped link) with backoff: {@value #ATTEMPTS} attempts.
 * Holds no connection between calls, so a server restart costs nothing but the calls in flight. Thread-safe.
 *
 * <p>Every call is idempotent by construction (an upsert of a whole value, a merge that gives the same result when
 * applied twice, a conditional update), so retrying one whose commit reply was lost is safe.
 */
final class PostgresClient {
    private static final Logger log = LoggerFactory.getLogger(PostgresClient.class);
    static final int ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    /** A unit of work on one connection; the connection is closed afterwards. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final PostgresSettings settings;
    private final Driver driver = new Driver();

    PostgresClient(PostgresSettings settings) {
        this.settings = settings;
    }

    PostgresSettings settings() { return settings; }

    /**
     * Runs {@code work} on a fresh connection (autocommit on), retrying connection failures.
     *
     * @param what what the work does, for messages ("saving state 'x'")
     * @throws StateStoreException {@code STATE_BACKEND_UNAVAILABLE} when the server cannot be reached or refuses the
     *     credentials, {@code STATE_STORE_FAILED} for any other database error; messages name the masked URI only
     */
    <T> T call(String what, Work<T> work) {
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; ; attempt++) {
            try (Connection c = connect()) {
                return work.run(c);
            } catch (SQLException e) {
                boolean unavailable = isUnavailable(e);
                if (!unavailable || attempt >= ATTEMPTS || isAuthentication(e)) {
                    throw failure(what, e);
                }
                log.warn("State backend {}: {} failed ({}), retrying in {} ms", settings.described(), what,
                        settings.scrub(e.getMessage()), backoff.toMillis());
                LockSupport.parkNanos(backoff.toNanos());
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private Connection connect() throws SQLException {
        Connection c = driver.connect(settings.jdbcUrl(), settings.properties());
        if (c == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + settings.described(), "08001");
        }
        return c;
    }

    StateStoreException failure(String what, SQLException e) {
        String detail = settings.scrub(e.getMessage()) + Optional.ofNullable(e.getSQLState()).map(s -> " [" + s + "]").orElse("");
        if (isUnavailable(e)) {
            return new StateStoreException(ErrorCode.STATE_BACKEND_UNAVAILABLE, "State backend " + settings.described()
                    + " is unavailable" + (isAuthentication(e) ? " (credentials refused)" : "") + " while " + what + ": "
                    + detail);
        }
        return new StateStoreException("State backend " + settings.described() + ": " + what + " failed: " + detail, e);
    }

    /** Connection-level failures: class 08 (connection), 28 (authorisation), 57P (server shutting down), 53 (resources). */
    static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("28") || state.startsWith("57P")
                || state.startsWith("53") || state.equals("3D000"); // 3D000: the database does not exist
    }

    static boolean isAuthentication(SQLException e) {
        return e.getSQLState() != null && (e.getSQLState().startsWith("28") || e.getSQLState().equals("3D000"));
    }
}
