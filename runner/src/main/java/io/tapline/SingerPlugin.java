package io.tapline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.ConfigException;
import io.tapline.spi.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Singer mapper or an external Singer target: a process that reads Singer messages on stdin.
 * tapline starts it with {@code --config <file>}; a target's stdout carries the states it has
 * made durable, one JSON object per line.
 *
 * @param name plugin name (for a mapper, Meltano's mapping name), used in logs and errors
 * @param command executable and leading arguments
 * @param config the plugin's config object (written to a private 0600 file for the run)
 * @param environment extra environment variables for the process
 * @param workingDirectory the process's working directory
 * @param secrets values of sensitive settings: masked in the plugin's logged stderr and in error messages
 * @param environmentMode whether the process sees tapline's whole environment or a clean one (as for a {@link Tap})
 * @param limits operating-system limits for the process; none by default
 */
public record SingerPlugin(String name, List<String> command, JsonNode config, Map<String, String> environment,
        Optional<Path> workingDirectory, List<Secret> secrets, Tap.EnvironmentMode environmentMode,
        ResourceLimits limits) {
    public SingerPlugin {
        requireNonNull(name, "name is null");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new ConfigException("plugin '" + name + "' has no command");
        }
        config = requireNonNull(config, "config is null").deepCopy();
        environment = Map.copyOf(environment);
        requireNonNull(workingDirectory, "workingDirectory is null");
        secrets = List.copyOf(secrets);
        requireNonNull(environmentMode, "environmentMode is null");
        requireNonNull(limits, "limits is null");
    }

    /** A plugin with a clean environment, no secrets and no limits. */
    public SingerPlugin(String name, List<String> command, JsonNode config, Map<String, String> environment,
            Optional<Path> workingDirectory) {
        this(name, command, config, environment, workingDirectory, List.of(), Tap.EnvironmentMode.CLEAN,
                ResourceLimits.none());
    }

    /** Names the plugin only: the record default would print its config and environment, secrets included. */
    @Override
    public String toString() {
        return "SingerPlugin[" + name + "]";
    }

    /** A plugin run from {@code command} with {@code config}, no extra environment, in the current folder. */
    public static SingerPlugin of(String name, List<String> command, JsonNode config) {
        return new SingerPlugin(name, command, config, Map.of(), Optional.empty());
    }

    public SingerPlugin withWorkingDirectory(Path dir) {
        return new SingerPlugin(name, command, config, environment, Optional.of(dir), secrets, environmentMode, limits);
    }

    public SingerPlugin withEnvironment(Map<String, String> env) {
        return new SingerPlugin(name, command, config, env, workingDirectory, secrets, environmentMode, limits);
    }

    /** The values masked wherever tapline writes about this plugin. */
    public SingerPlugin withSecrets(List<Secret> values) {
        return new SingerPlugin(name, command, config, environment, workingDirectory, values, environmentMode, limits);
    }

    public SingerPlugin withEnvironmentMode(Tap.EnvironmentMode mode) {
        return new SingerPlugin(name, command, config, environment, workingDirectory, secrets, mode, limits);
    }

    public SingerPlugin withLimits(ResourceLimits newLimits) {
        return new SingerPlugin(name, command, config, environment, workingDirectory, secrets, environmentMode,
                newLimits);
    }
}
