package io.tapline;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A connector that runs from a container image, as {@code <runtime> run --rm -i ...}, the way the Airbyte
 * platform runs its connectors. The run's private folder (config, catalog, state) is mounted at {@code /config}
 * and every argument naming a file in it is rewritten to the container side. Environment variables are passed as
 * {@code -e NAME} without their value: the runtime takes the value from its own environment, so secrets never
 * show on a command line ({@code ps}).
 *
 * <p>An immutable value; build with {@link #image(String)}.
 *
 * @param image image reference, e.g. {@code airbyte/source-faker:6.2.0}
 * @param runtime the runtime command and its global flags, e.g. {@code [docker]} or
 *     {@code [podman, --storage-driver, vfs, --runtime, runc, --cgroup-manager, cgroupfs]}
 * @param network {@code --network} value; empty leaves the runtime's default
 * @param memory {@code --memory} limit (e.g. {@code 2g}); empty for none
 * @param cpus {@code --cpus} limit (e.g. {@code 1.5}); empty for none
 * @param user {@code --user} to run as; empty for the image's own
 * @param runArgs further {@code run} flags placed before the image, e.g. extra {@code -v} mounts
 */
public record ContainerImage(String image, List<String> runtime, Optional<String> network, Optional<String> memory,
        Optional<String> cpus, Optional<String> user, List<String> runArgs) {

    public ContainerImage {
        requireNonNull(image, "image is null");
        if (image.isBlank()) {
            throw new ConfigException("container image is blank");
        }
        runtime = List.copyOf(runtime);
        if (runtime.isEmpty()) {
            throw new ConfigException("container runtime command is empty");
        }
        requireNonNull(network, "network is null");
        requireNonNull(memory, "memory is null");
        requireNonNull(cpus, "cpus is null");
        requireNonNull(user, "user is null");
        runArgs = List.copyOf(runArgs);
    }

    public static Builder image(String image) { return new Builder(image); }

    public Builder toBuilder() {
        Builder b = new Builder(image);
        b.runtime = new ArrayList<>(runtime);
        b.network = network;
        b.memory = memory;
        b.cpus = cpus;
        b.user = user;
        b.runArgs = new ArrayList<>(runArgs);
        return b;
    }

    public static final class Builder {
        private final String image;
        private List<String> runtime = new ArrayList<>(List.of("docker"));
        private Optional<String> network = Optional.empty();
        private Optional<String> memory = Optional.empty();
        private Optional<String> cpus = Optional.empty();
        private Optional<String> user = Optional.empty();
        private List<String> runArgs = new ArrayList<>();

        private Builder(String image) {
            this.image = requireNonNull(image, "image is null");
        }

        /** The runtime command and its global flags; default {@code docker}. */
        public Builder runtime(List<String> command) { this.runtime = new ArrayList<>(command); return this; }

        public Builder network(String network) { this.network = Optional.of(network); return this; }

        public Builder memory(String memory) { this.memory = Optional.of(memory); return this; }

        public Builder cpus(String cpus) { this.cpus = Optional.of(cpus); return this; }

        public Builder user(String user) { this.user = Optional.of(user); return this; }

        public Builder runArgs(List<String> args) { this.runArgs = new ArrayList<>(args); return this; }

        public ContainerImage build() {
            return new ContainerImage(image, runtime, network, memory, cpus, user, runArgs);
        }
    }
}
