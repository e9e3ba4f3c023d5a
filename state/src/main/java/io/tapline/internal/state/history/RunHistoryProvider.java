package io.tapline.internal.state.history;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Opens a run history kept in a shared database, for the URI schemes it serves; found with
 * {@link java.util.ServiceLoader} (as {@code io.tapline.spi.StateBackendProvider}), so the database driver is on the
 * class path only where its module is. Stateless and thread-safe.
 */
public interface RunHistoryProvider {
    /** The URI schemes served, lower case. */
    Set<String> schemes();

    /**
     * Opens the history at {@code uri}, creating its tables when missing; a bounded round trip.
     *
     * @param environment variables the driver may read
     * @throws io.tapline.spi.StateStoreException naming the masked URI when the database cannot be reached
     */
    RunHistory open(URI uri, Map<String, String> environment);
}
