package io.tapline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.tapline.protocol.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Singer tap: how to start it and what to hand it. Immutable; build with {@link #singer(String)}.
 *
 * @param name plugin name, used in logs, errors and the default state id
 * @param command executable and leading arguments; tapline appends {@code --config}, {@code --catalog}
 *     or {@code --properties}, and {@code --state}
 * @param config the tap's config object (written to a private 0600 file for the run)
 * @param catalog the catalog to pass, if any
 * @param capabilities what the tap supports; decides the arguments
 * @param environment extra environment variables for the process
 * @param workingDirectory the process's working directory
 */
public record Tap(String name, List<String> command, JsonNode config, Optional<JsonNode> catalog,
        Set<Capability> capabilities, Map<String, String> environment, Optional<Path> workingDirectory) {

    /** Singer capabilities tapline acts on (Meltano's names). */
    public enum Capability { CATALOG, PROPERTIES, STATE, DISCOVER, ABOUT }

    public Tap {
        requireNonNull(name, "name is null");
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new ConfigException("tap '" + name + "' has no command");
        }
        requireNonNull(config, "config is null");
        config = config.deepCopy();
        catalog = catalog.map(JsonNode::deepCopy);
        capabilities = Set.copyOf(capabilities);
        environment = Map.copyOf(environment);
        requireNonNull(workingDirectory, "workingDirectory is null");
    }

    public static Builder singer(String name) { return new Builder(name); }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.command = new ArrayList<>(command);
        b.config = config;
        b.catalog = catalog;
        b.capabilities = capabilities;
        b.environment = new LinkedHashMap<>(environment);
        b.workingDirectory = workingDirectory;
        return b;
    }

    public static final class Builder {
        private final String name;
        private List<String> command = new ArrayList<>();
        private JsonNode config = JsonNodeFactory.instance.objectNode();
        private Optional<JsonNode> catalog = Optional.empty();
        private Set<Capability> capabilities = Set.of(Capability.CATALOG, Capability.STATE, Capability.DISCOVER);
        private Map<String, String> environment = new LinkedHashMap<>();
        private Optional<Path> workingDirectory = Optional.empty();

        private Builder(String name) {
            this.name = requireNonNull(name, "name is null");
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

        public Builder workingDirectory(Path dir) { this.workingDirectory = Optional.of(dir); return this; }

        public Tap build() {
            return new Tap(name, command, config, catalog, capabilities, environment, workingDirectory);
        }
    }
}
