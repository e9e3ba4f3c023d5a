package io.tapline.spi;

import java.util.Set;

/**
 * Opens the state backend for a {@code state_backend.uri} scheme ({@code file}, {@code s3}, {@code gs},
 * {@code azure}, {@code postgresql}, ...). Providers are found with {@link java.util.ServiceLoader}, so a
 * backend's client library is on the classpath only where its module is: an application that embeds
 * only the core carries no cloud SDK.
 *
 * <p>Implementations are stateless and thread-safe; each {@link #open} returns a new backend that the
 * caller owns and closes.
 */
public interface StateBackendProvider {
    /** The URI schemes served, lower case, e.g. {@code s3}. */
    Set<String> schemes();

    /**
     * Opens the backend {@code config} names and checks that it can be reached with the credentials
     * given (a bounded round trip), so a run fails before its tap starts.
     *
     * @throws StateStoreException with {@link ErrorCode#STATE_BACKEND_UNAVAILABLE} when the backend cannot be
     *     reached or refuses the credentials; the message names the backend by {@link StateBackendConfig#maskedUri()}
     * @throws ConfigException when the URI or a setting is malformed
     */
    StateBackend open(StateBackendConfig config);
}
