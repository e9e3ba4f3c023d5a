package io.tapline.internal.state.gcs;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.tapline.internal.state.objectstore.LockSettings;
import io.tapline.internal.state.objectstore.ObjectStoreStateBackend;
import io.tapline.spi.ConfigException;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Opens {@code gs://<bucket>/<prefix>} backends. Credentials, as Meltano: {@code state_backend.gcs.application_credentials_path}
 * or {@code .application_credentials_json}, else {@code GOOGLE_APPLICATION_CREDENTIALS}, else the client's default
 * chain (metadata server). {@code STORAGE_EMULATOR_HOST}, which Google's clients honour, points it at an emulator
 * without credentials. Requests are bounded: 2 to 5 s per attempt, 3 attempts with backoff within one lease TTL
 * (4 to 20 s).
 */
public final class GcsStateBackendProvider implements StateBackendProvider {
    @Override
    public Set<String> schemes() { return Set.of("gs"); }

    @Override
    public StateBackend open(StateBackendConfig config) {
        String bucket = Optional.ofNullable(config.uri().getRawAuthority()).orElse("");
        if (bucket.isEmpty() || bucket.contains("@")) {
            throw new ConfigException("state_backend.uri " + config.maskedUri() + " must be gs://<bucket>/<prefix>");
        }
        LockSettings lockSettings = LockSettings.from(config);
        GcsObjectStore store = new GcsObjectStore(storage(config), bucket, config.maskedUri());
        try {
            store.probe();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new ObjectStoreStateBackend(store, Optional.ofNullable(config.uri().getPath()).orElse(""), config.lease(),
                lockSettings);
    }

    private static Storage storage(StateBackendConfig config) {
        StateBackendConfig.Lease lease = config.lease();
        Duration attempt = clamp(lease.heartbeat().multipliedBy(2), Duration.ofSeconds(2), Duration.ofSeconds(5));
        Duration call = clamp(lease.ttl(), Duration.ofSeconds(4), Duration.ofSeconds(20));
        StorageOptions.Builder b = StorageOptions.http()
                .setTransportOptions(HttpTransportOptions.newBuilder().setConnectTimeout((int) attempt.toMillis())
                        .setReadTimeout((int) attempt.toMillis()).build())
                .setRetrySettings(RetrySettings.newBuilder().setMaxAttempts(3)
                        .setInitialRetryDelayDuration(Duration.ofMillis(200)).setRetryDelayMultiplier(2)
                        .setMaxRetryDelayDuration(Duration.ofSeconds(2)).setTotalTimeoutDuration(call).build());
        Optional<String> emulator = Optional.ofNullable(config.environment().get("STORAGE_EMULATOR_HOST")).filter(h -> !h.isBlank());
        if (emulator.isPresent()) {
            String host = emulator.get().contains("://") ? emulator.get() : "http://" + emulator.get();
            b.setHost(host).setCredentials(NoCredentials.getInstance()).setProjectId("tapline-emulator");
        } else {
            b.setCredentials(credentials(config));
        }
        return b.build().getService();
    }

    private static GoogleCredentials credentials(StateBackendConfig config) {
        try {
            Optional<String> json = config.setting("gcs.application_credentials_json");
            if (json.isPresent()) {
                return GoogleCredentials.fromStream(new ByteArrayInputStream(json.get().getBytes(StandardCharsets.UTF_8)));
            }
            Optional<String> path = config.setting("gcs.application_credentials_path")
                    .or(() -> Optional.ofNullable(config.environment().get("GOOGLE_APPLICATION_CREDENTIALS")).filter(p -> !p.isBlank()));
            if (path.isPresent()) {
                Path file = config.projectRoot().resolve(path.get());
                try (InputStream in = Files.newInputStream(file)) {
                    return GoogleCredentials.fromStream(in);
                }
            }
            return GoogleCredentials.getApplicationDefault();
        } catch (IOException e) {
            throw new ConfigException("the GCS state backend credentials (state_backend.gcs.application_credentials_path "
                    + "/ _json or GOOGLE_APPLICATION_CREDENTIALS) could not be read as a service account key", e);
        }
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
