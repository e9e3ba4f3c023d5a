package io.tapline.internal.state;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the {@link StateBackendProvider} for a {@code state_backend.uri} scheme among those on the class path
 * ({@link ServiceLoader}, {@code META-INF/services/io.tapline.spi.StateBackendProvider}) and opens it. The one
 * place that maps a scheme to a backend; holds no state.
 */
public final class StateBackends {
    private StateBackends() {}

    /**
     * Opens the backend {@code config.uri()} names with the providers {@code loader} sees.
     *
     * @throws ConfigException naming the masked URI and the schemes on offer when none serves the scheme
     * @throws io.tapline.spi.StateStoreException with {@code STATE_BACKEND_UNAVAILABLE} from the provider
     */
    public static StateBackend open(StateBackendConfig config, ClassLoader loader) {
        String scheme = config.uri().getScheme() == null ? "" : config.uri().getScheme().toLowerCase(Locale.ROOT);
        TreeSet<String> offered = new TreeSet<>();
        for (StateBackendProvider provider : ServiceLoader.load(StateBackendProvider.class, loader)) {
            if (provider.schemes().contains(scheme)) {
                return provider.open(config);
            }
            offered.addAll(provider.schemes());
        }
        throw new ConfigException(ErrorCode.CONFIG_INVALID, "state_backend.uri '" + config.maskedUri()
                + "': no state backend serves the scheme '" + scheme + "' (available here: " + String.join(", ", offered)
                + ", and systemdb); put the module of the backend for '" + scheme + "' on the class path");
    }
}
