package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.ResourceLimits;
import io.tapline.RetryPolicy;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How tapline runs a plugin, beyond its config: tapline's own keys of a plugin, resolved as extras
 * through the settings model ({@code TAP_X__LIMITS}, {@code .env}, the active environment's plugin
 * entry, {@code meltano.yml}, the {@code inherit_from} parent). Meltano keeps keys it does not know as
 * plugin extras, so the file stays usable by both.
 *
 * <pre>
 * retry: {max_attempts: 3, delay: PT10S, max_delay: PT5M}   # retry a failed tap from the last state
 * env: {AWS_PROFILE: prod}                                   # variables for the process (Meltano's env:)
 * inherit_env: true                                          # pass tapline's whole environment on
 * limits: {memory: 1GiB, cpu_time: PT30M, open_files: 1024}  # OS limits for the process
 * </pre>
 *
 * @param retry the extractor's retry policy, when it has one
 * @param sensitiveSettings names of settings whose values are secrets: Meltano's {@code settings:} entries
 *     with {@code sensitive: true} or {@code kind: password}, and the catalog's password settings
 * @param env extra environment variables for the plugin process, {@code $VAR} expanded
 * @param inheritEnv the process gets tapline's whole environment rather than a clean one
 * @param limits operating-system limits for the plugin process
 */
public record PluginRuntime(Optional<RetryPolicy> retry, Set<String> sensitiveSettings, Map<String, String> env,
        boolean inheritEnv, ResourceLimits limits) {
    public PluginRuntime {
        sensitiveSettings = Set.copyOf(sensitiveSettings);
        env = Map.copyOf(env);
        java.util.Objects.requireNonNull(limits, "limits is null");
    }

    public static PluginRuntime none() {
        return new PluginRuntime(Optional.empty(), Set.of(), Map.of(), false, ResourceLimits.none());
    }

    /**
     * Parses the {@code _retry}, {@code _limits} and {@code _inherit_env} extras the settings model
     * resolved; {@code env} is the plugin's stacked {@code env:} mappings.
     */
    static PluginRuntime from(PluginSettings settings, Map<String, String> env, String name, Path file) {
        Set<String> sensitive = new HashSet<>();
        settings.values().stream().filter(v -> v.spec().sensitive()).forEach(v -> sensitive.add(v.spec().name()));
        return new PluginRuntime(retry(extra(settings, "_retry"), name, file), sensitive, env,
                extra(settings, "_inherit_env").asBoolean(false), limits(extra(settings, "_limits"), name, file));
    }

    private static JsonNode extra(PluginSettings settings, String name) {
        return settings.get(name).flatMap(PluginSettings.Value::value)
                .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    private static ResourceLimits limits(JsonNode l, String name, Path file) {
        ResourceLimits limits = ResourceLimits.none();
        if (l.isMissingNode() || l.isNull()) {
            return limits;
        }
        if (!l.isObject()) {
            throw invalid(file, name, "limits must be a mapping like {memory: 1GiB, cpu_time: PT30M, open_files: 1024}");
        }
        try {
            if (l.hasNonNull("memory")) {
                limits = limits.withMemory(l.get("memory").isNumber() ? l.get("memory").asLong()
                        : ResourceLimits.parseSize(l.get("memory").asText()));
            }
            if (l.hasNonNull("cpu_time")) {
                limits = limits.withCpuTime(duration(l.get("cpu_time"), Duration.ZERO, file, name));
            }
            if (l.hasNonNull("open_files")) {
                limits = limits.withOpenFiles(l.get("open_files").asInt());
            }
            return limits;
        } catch (IllegalArgumentException e) {
            throw invalid(file, name, "limits: " + e.getMessage());
        }
    }

    private static Optional<RetryPolicy> retry(JsonNode r, String name, Path file) {
        if (r.isMissingNode() || r.isNull()) {
            return Optional.empty();
        }
        if (!r.isObject()) {
            throw invalid(file, name, "retry must be a mapping like {max_attempts: 3, delay: PT10S, max_delay: PT5M}");
        }
        int attempts = r.path("max_attempts").asInt(3);
        Duration delay = duration(r.path("delay"), Duration.ofSeconds(10), file, name);
        Duration maxDelay = duration(r.path("max_delay"), Duration.ofMinutes(5), file, name);
        try {
            return Optional.of(new RetryPolicy(attempts, delay, maxDelay, r.path("multiplier").asDouble(2.0)));
        } catch (IllegalArgumentException e) {
            throw invalid(file, name, "retry: " + e.getMessage());
        }
    }

    /** An ISO-8601 duration ({@code PT10S}) or a number of seconds. */
    private static Duration duration(JsonNode v, Duration fallback, Path file, String name) {
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        if (v.isNumber()) {
            return Duration.ofMillis((long) (v.asDouble() * 1000));
        }
        try {
            return Duration.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw invalid(file, name, "'" + v.asText() + "' is not a duration (use PT10S or seconds)");
        }
    }

    private static ConfigException invalid(Path file, String name, String what) {
        return new ConfigException(ErrorCode.PROJECT_FILE_INVALID, file + ": plugin '" + name + "': " + what);
    }
}
