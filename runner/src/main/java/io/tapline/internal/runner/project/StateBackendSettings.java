package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Meltano's {@code state_backend} settings as a project resolves them: the {@code state_backend:} mapping of
 * {@code meltano.yml} (nested or dotted keys, {@code $VAR}s expanded), under {@code MELTANO_STATE_BACKEND_*}
 * variables from the environment or {@code .env}, which win as in Meltano ({@code state_backend.s3.endpoint_url}
 * is {@code MELTANO_STATE_BACKEND_S3_ENDPOINT_URL}).
 *
 * @param uri {@code state_backend.uri}, if set
 * @param settings every other setting by its name without the {@code state_backend.} prefix; values may be secrets
 */
public record StateBackendSettings(Optional<String> uri, Map<String, String> settings) {
    /**
     * The settings whose variables are read: Meltano's own and its S3, GCS, Azure and PostgreSQL add-ons', and
     * tapline's lease timings (which Meltano ignores).
     */
    static final List<String> KNOWN = List.of("lock_timeout_seconds", "lock_retry_seconds",
            "lease_ttl_seconds", "lease_heartbeat_seconds",
            "s3.aws_access_key_id", "s3.aws_secret_access_key", "s3.endpoint_url", "s3.region", "s3.profile",
            "gcs.application_credentials", "gcs.application_credentials_path", "gcs.application_credentials_json",
            "azure.connection_string", "azure.storage_account_url",
            "postgresql.host", "postgresql.port", "postgresql.database", "postgresql.user", "postgresql.password",
            "postgresql.schema", "postgresql.sslmode", "postgresql.table");

    public StateBackendSettings {
        settings = Map.copyOf(settings);
    }

    static StateBackendSettings resolve(JsonNode section, Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        flatten(section, "", out);
        out.replaceAll((k, v) -> EnvVars.expand(v, env));
        for (String name : KNOWN) {
            String var = "MELTANO_STATE_BACKEND_" + name.replace('.', '_').toUpperCase(Locale.ROOT);
            Optional.ofNullable(env.get(var)).filter(v -> !v.isEmpty()).ifPresent(v -> out.put(name, v));
        }
        Optional<String> uri = Optional.ofNullable(env.get("MELTANO_STATE_BACKEND_URI")).filter(v -> !v.isBlank())
                .or(() -> Optional.ofNullable(out.get("uri"))).filter(u -> !u.isBlank());
        out.remove("uri");
        return new StateBackendSettings(uri, out);
    }

    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), out));
        } else if (node.isValueNode() && !node.isNull() && !prefix.isEmpty()) {
            out.put(prefix, node.asText());
        }
    }
}
