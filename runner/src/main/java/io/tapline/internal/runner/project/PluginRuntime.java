package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.ResourceLimits;
import io.tapline.RetryPolicy;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How tapline runs a plugin, beyond its config: tapline's own keys in a plugin's {@code meltano.yml}
 * entry. Meltano keeps keys it does not know as plugin extras, so the file stays usable by both.
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

    PluginRuntime withSensitive(Collection<String> more) {
        Set<String> all = new HashSet<>(sensitiveSettings);
        all.addAll(more);
        return new PluginRuntime(retry, all, env, inheritEnv, limits);
    }

    static PluginRuntime parse(JsonNode plugin, String name, Path file, Map<String, String> processEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        plugin.path("env").properties().forEach(e ->
                env.put(e.getKey(), ProjectFile.expand(e.getValue().asText(), processEnv)));
        Set<String> sensitive = new HashSet<>();
        for (JsonNode s : plugin.path("settings")) {
            if (s.path("sensitive").asBoolean(false) || "password".equals(s.path("kind").asText())) {
                sensitive.add(s.path("name").asText());
            }
        }
        return new PluginRuntime(retry(plugin, name, file), sensitive, env, plugin.path("inherit_env").asBoolean(false),
                limits(plugin.path("limits"), name, file));
    }

    private static ResourceLimits limits(JsonNode l, String name, Path file) {
        ResourceLimits limits = ResourceLimits.none();
        if (l.isMissingNode() || l.isNull()) {
            return limits;
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

    private static Optional<RetryPolicy> retry(JsonNode plugin, String name, Path file) {
        JsonNode r = plugin.path("retry");
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
