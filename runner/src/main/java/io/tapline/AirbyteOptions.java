package io.tapline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What only an Airbyte source needs beyond its {@link Tap} command and config.
 *
 * @param docker how to run the connector from a container image; empty runs {@code Tap.command()} locally
 * @param configFile the user's config file that CONTROL connector-config updates (refreshed tokens) are
 *     written back to, atomically; empty logs such updates and drops them
 * @param validation whether the config is checked against the connector's {@code spec} before {@code read}
 */
public record AirbyteOptions(Optional<ContainerImage> docker, Optional<Path> configFile, Validation validation) {

    /** Whether to check the config against the connector's spec before a run. */
    public enum Validation { SPEC, NONE }

    public AirbyteOptions {
        requireNonNull(docker, "docker is null");
        requireNonNull(configFile, "configFile is null");
        requireNonNull(validation, "validation is null");
    }

    /** A local executable, no config file, config validated against the spec. */
    public static AirbyteOptions defaults() {
        return new AirbyteOptions(Optional.empty(), Optional.empty(), Validation.SPEC);
    }

    public AirbyteOptions withDocker(ContainerImage launcher) {
        return new AirbyteOptions(Optional.of(launcher), configFile, validation);
    }

    public AirbyteOptions withConfigFile(Path file) {
        return new AirbyteOptions(docker, Optional.of(file), validation);
    }

    public AirbyteOptions withValidation(Validation v) {
        return new AirbyteOptions(docker, configFile, v);
    }
}
