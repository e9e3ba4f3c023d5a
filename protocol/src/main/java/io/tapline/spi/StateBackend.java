package io.tapline.spi;

/**
 * A {@link StateStore} that owns connections or threads (an object-store client, a JDBC connection, lease
 * heartbeats). Thread-safe. {@link #close} releases them; it is idempotent and never throws.
 */
public interface StateBackend extends StateStore, AutoCloseable {
    /** The backend's URI with any secret masked, for messages and logs. */
    String describe();

    @Override
    void close();
}
