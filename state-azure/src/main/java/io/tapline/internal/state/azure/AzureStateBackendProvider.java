package io.tapline.internal.state.azure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.tapline.internal.state.objectstore.LockSettings;
import io.tapline.internal.state.objectstore.ObjectStoreStateBackend;
import io.tapline.spi.ConfigException;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Opens {@code azure://<container>/<prefix>} backends. Credentials, as Meltano: {@code state_backend.azure.connection_string},
 * else {@code .storage_account_url} (a URL that carries its SAS token; Azure AD sign-in is not bundled), else
 * {@code AZURE_STORAGE_CONNECTION_STRING}. Requests are bounded: 2 to 5 s per try, 3 tries with exponential backoff.
 */
public final class AzureStateBackendProvider implements StateBackendProvider {
    @Override
    public Set<String> schemes() { return Set.of("azure"); }

    @Override
    public StateBackend open(StateBackendConfig config) {
        String containerName = Optional.ofNullable(config.uri().getRawAuthority()).orElse("");
        if (containerName.isEmpty() || containerName.contains("@")) {
            throw new ConfigException("state_backend.uri " + config.maskedUri() + " must be azure://<container>/<prefix>");
        }
        LockSettings lockSettings = LockSettings.from(config);
        Duration attempt = clamp(config.lease().heartbeat().multipliedBy(2), Duration.ofSeconds(2), Duration.ofSeconds(5));
        BlobServiceClientBuilder b = new BlobServiceClientBuilder().retryOptions(new RequestRetryOptions(
                RetryPolicyType.EXPONENTIAL, 3, (int) Math.max(1, attempt.toSeconds()), 200L, 2000L, null));
        Optional<String> connection = config.setting("azure.connection_string");
        Optional<String> accountUrl = config.setting("azure.storage_account_url");
        Optional<String> envConnection = Optional.ofNullable(config.environment().get("AZURE_STORAGE_CONNECTION_STRING"))
                .filter(s -> !s.isBlank());
        try {
            if (connection.isPresent()) {
                b.connectionString(connection.get());
            } else if (accountUrl.isPresent()) {
                b.endpoint(accountUrl.get());
            } else if (envConnection.isPresent()) {
                b.connectionString(envConnection.get());
            } else {
                throw new ConfigException("the Azure state backend " + config.maskedUri() + " needs state_backend.azure."
                        + "connection_string, state_backend.azure.storage_account_url or AZURE_STORAGE_CONNECTION_STRING");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("the Azure state backend's connection string or account URL is malformed "
                    + "(state_backend.azure.*, AZURE_STORAGE_CONNECTION_STRING)");
        }
        BlobContainerClient container = b.buildClient().getBlobContainerClient(containerName);
        AzureObjectStore store = new AzureObjectStore(container, config.maskedUri(),
                clamp(config.lease().ttl(), Duration.ofSeconds(4), Duration.ofSeconds(20)));
        store.probe();
        return new ObjectStoreStateBackend(store, Optional.ofNullable(config.uri().getPath()).orElse(""), config.lease(),
                lockSettings);
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
