package io.tapline.spi;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a {@link StateBackendProvider} needs to open a backend: Meltano's {@code state_backend.uri} and
 * {@code state_backend.*} settings. A provider parses the settings it knows into its own record once, here at the
 * edge; the map is not passed further.
 *
 * @param uri the backend URI, which may hold credentials ({@code s3://key:secret@bucket/prefix}); never log it,
 *     use {@link #maskedUri()}
 * @param settings Meltano's {@code state_backend.*} settings by their full dotted name without the
 *     {@code state_backend.} prefix, e.g. {@code s3.aws_access_key_id}, {@code lock_timeout_seconds}, already
 *     resolved through the environment, {@code .env} and {@code meltano.yml}
 * @param environment the variables an SDK's own credential chain may read ({@code AWS_*},
 *     {@code GOOGLE_APPLICATION_CREDENTIALS}, {@code AZURE_STORAGE_CONNECTION_STRING}, ...)
 * @param projectRoot the folder relative paths are resolved against
 * @param lease how long a run lease lives without a heartbeat, and how often its holder renews it
 */
public record StateBackendConfig(URI uri, Map<String, String> settings, Map<String, String> environment, Path projectRoot,
        Lease lease) {
    public StateBackendConfig {
        requireNonNull(uri, "uri is null");
        settings = Map.copyOf(settings);
        environment = Map.copyOf(environment);
        requireNonNull(projectRoot, "projectRoot is null");
        requireNonNull(lease, "lease is null");
    }

    /** A run lease: renewed every {@code heartbeat}, dead once {@code ttl} passed without one. */
    public record Lease(Duration heartbeat, Duration ttl) {
        public static final Lease DEFAULT = new Lease(Duration.ofSeconds(10), Duration.ofSeconds(60));

        public Lease {
            if (heartbeat.isNegative() || heartbeat.isZero() || ttl.compareTo(heartbeat.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("the lease TTL must be at least two heartbeat intervals");
            }
        }
    }

    /** A setting's value, if set. */
    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * The URI with its user info (credentials) replaced by {@code ***}, and so the value of any query parameter whose
     * name says it is a secret ({@code password=}, {@code sas_token=}, {@code secret...}, {@code ...key}).
     */
    public String maskedUri() {
        return mask(uri);
    }

    /** {@code uri} masked as {@link #maskedUri()} masks it: the one masking rule for backend and history URIs. */
    public static String mask(URI uri) {
        String s = uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "***@");
        return SECRET_PARAM.matcher(s).replaceAll("$1***");
    }

    private static final java.util.regex.Pattern SECRET_PARAM = java.util.regex.Pattern.compile(
            "(?i)([?&][^=&#]*(?:pass|secret|token|key|credential|sig)[^=&#]*=)[^&#]*");
}
