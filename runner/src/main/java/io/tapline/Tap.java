package io.tapline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tapline.spi.ConfigException;
import io.tapline.spi.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Singer tap or an Airbyte source: how to start it and what to hand it. Immutable and thread-safe
 * (the config and catalog are deep-copied in); build with {@link #singer(String)} or {@link #airbyte(String)}.
 * Owns no resources: each run starts its own process.
 *
 * @param name plugin name, used in logs, errors and the default state id
 * @param protocol what the process speaks on stdout
 * @param command executable and leading arguments. For a Singer tap tapline appends {@code --config},
 *     {@code --catalog} or {@code --properties}, and {@code --state}; for an Airbyte source
 *     {@code discover --config} and {@code read --config --catalog [--state]}
 * @param config the tap's config object (written to a private 0600 file for the run)
 * @param catalog the catalog to pass, if any; for an Airbyte source a {@code ConfiguredAirbyteCatalog}
 *     (without one, tapline discovers the streams and reads them all)
 * @param capabilities what a Singer tap supports; decides the arguments (ignored for Airbyte)
 * @param environment extra environment variables for the process
 * @param workingDirectory the process's working directory
 * @param remote run the tap on another host over SSH; {@code command} is then a path on that host
 * @param tunnel forward a local port through a bastion to the tap's source while it runs
 * @param secrets values of sensitive settings: masked in the tap's logged stderr and in error messages
 * @param environmentMode whether the process sees tapline's whole environment or only what it needs
 *     (PATH, HOME, locale, proxies, its own {@code <TAP_NAME>_*} variables) plus {@code environment}
 * @param limits operating-system limits for the process (memory, CPU time, open files); none by default
 * @param airbyte Airbyte-only settings: container image, config file for CONTROL updates, spec validation.
 *     With a container image, {@code command} holds arguments placed before the connector command (usually none)
 */
public record Tap(String name, Protocol protocol, List<String> command, JsonNode config, Optional<JsonNode> catalog,
        Set<Capability> capabilities, Map<String, String> environment, Optional<Path> workingDirectory,
        Optional<SshRemote> remote, Optional<SshTunnel> tunnel, List<Secret> secrets, EnvironmentMode environmentMode,
        ResourceLimits limits, AirbyteOptions airbyte) {

    /** What the tap process inherits from tapline's environment. */
    public enum EnvironmentMode {
        /** Only what programs need, its own {@code <TAP_NAME>_*} variables and the tap's {@code environment} (default). */
        CLEAN,
        /** tapline's whole environment plus the tap's {@code environment}. */
        INHERIT
    }

    /** The protocol a tap speaks. */
    public enum Protocol { SINGER, AIRBYTE }

    /** Singer capabilities tapline acts on (Meltano's names). */
    public enum Capability { CATALOG, PROPERTIES, STATE, DISCOVER, ABOUT }

    public Tap {
        requireNonNull(name, "name is null");
        requireNonNull(protocol, "protocol is null");
        command = List.copyOf(command);
        requireNonNull(airbyte, "airbyte is null");
        if (airbyte.docker().isPresent() && protocol != Protocol.AIRBYTE) {
            throw new ConfigException("tap '" + name + "': container images are supported for Airbyte sources only");
        }
        if (command.isEmpty() && airbyte.docker().isEmpty()) {
            throw new ConfigException("tap '" + name + "' has no command");
        }
        requireNonNull(config, "config is null");
        config = config.deepCopy();
        catalog = catalog.map(JsonNode::deepCopy);
        capabilities = Set.copyOf(capabilities);
        environment = Map.copyOf(environment);
        requireNonNull(workingDirectory, "workingDirectory is null");
        requireNonNull(remote, "remote is null");
        requireNonNull(tunnel, "tunnel is null");
        if (remote.isPresent() && tunnel.isPresent()) {
            throw new ConfigException("tap '" + name + "' has both an ssh remote and an ssh tunnel; a tunnel's local "
                    + "port is not reachable from the remote host");
        }
        secrets = List.copyOf(secrets);
        requireNonNull(environmentMode, "environmentMode is null");
        requireNonNull(limits, "limits is null");
    }

    /** Names the tap only: the record default would print its config and environment, secrets included. */
    @Override
    public String toString() {
        return "Tap[" + name + ", " + protocol + "]";
    }

    public static Builder singer(String name) { return new Builder(name, Protocol.SINGER); }

    /** An Airbyte source connector, e.g. {@code command(venv.resolve("bin/source-faker"))}. */
    public static Builder airbyte(String name) { return new Builder(name, Protocol.AIRBYTE); }

    public Builder toBuilder() {
        Builder b = new Builder(name, protocol);
        b.command = new ArrayList<>(command);
        b.config = config;
        b.catalog = catalog;
        b.capabilities = capabilities;
        b.environment = new LinkedHashMap<>(environment);
        b.workingDirectory = workingDirectory;
        b.remote = remote;
        b.tunnel = tunnel;
        b.secrets = new ArrayList<>(secrets);
        b.environmentMode = environmentMode;
        b.limits = limits;
        b.airbyte = airbyte;
        return b;
    }

    /** Collects a tap's settings; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Protocol protocol;
        private List<String> command = new ArrayList<>();
        private JsonNode config = JsonNodeFactory.instance.objectNode();
        private Optional<JsonNode> catalog = Optional.empty();
        private Set<Capability> capabilities = Set.of(Capability.CATALOG, Capability.STATE, Capability.DISCOVER);
        private Map<String, String> environment = new LinkedHashMap<>();
        private Optional<Path> workingDirectory = Optional.empty();
        private Optional<SshRemote> remote = Optional.empty();
        private Optional<SshTunnel> tunnel = Optional.empty();
        private List<Secret> secrets = new ArrayList<>();
        private EnvironmentMode environmentMode = EnvironmentMode.CLEAN;
        private ResourceLimits limits = ResourceLimits.none();
        private AirbyteOptions airbyte = AirbyteOptions.defaults();

        private Builder(String name, Protocol protocol) {
            this.name = requireNonNull(name, "name is null");
            this.protocol = protocol;
        }

        public Builder command(Path executable, String... args) {
            this.command = new ArrayList<>();
            command.add(executable.toString());
            command.addAll(List.of(args));
            return this;
        }

        public Builder command(List<String> argv) { this.command = new ArrayList<>(argv); return this; }

        public Builder config(JsonNode config) { this.config = requireNonNull(config, "config is null"); return this; }

        public Builder catalog(JsonNode catalog) { this.catalog = Optional.of(catalog); return this; }

        public Builder capabilities(Set<Capability> capabilities) { this.capabilities = capabilities; return this; }

        public Builder env(String key, String value) { environment.put(key, value); return this; }

        public Builder environment(Map<String, String> env) { environment.putAll(env); return this; }

        /** A sensitive setting's value, masked wherever tapline writes about this tap. */
        public Builder secret(Secret value) { secrets.add(requireNonNull(value, "secret is null")); return this; }

        public Builder environmentMode(EnvironmentMode mode) {
            this.environmentMode = requireNonNull(mode, "mode is null");
            return this;
        }

        public Builder limits(ResourceLimits limits) { this.limits = requireNonNull(limits, "limits is null"); return this; }

        public Builder workingDirectory(Path dir) { this.workingDirectory = Optional.of(dir); return this; }

        /** Runs the connector from a container image instead of a local executable. */
        public Builder docker(ContainerImage image) { this.airbyte = airbyte.withDocker(image); return this; }

        /** Where CONTROL connector-config updates of an Airbyte source are written (atomically). */
        public Builder persistConfigTo(Path file) { this.airbyte = airbyte.withConfigFile(file); return this; }

        public Builder configValidation(AirbyteOptions.Validation v) {
            this.airbyte = airbyte.withValidation(v);
            return this;
        }

        /** Runs the tap on {@code remote}'s host; {@link #command(List)} is then the remote path. */
        public Builder remote(SshRemote remote) { this.remote = Optional.of(remote); return this; }

        /** Opens {@code tunnel} for each run and points the tap's config at it. */
        public Builder tunnel(SshTunnel tunnel) { this.tunnel = Optional.of(tunnel); return this; }

        public Tap build() {
            return new Tap(name, protocol, command, config, catalog, capabilities, environment, workingDirectory,
                    remote, tunnel, secrets, environmentMode, limits, airbyte);
        }
    }
}
