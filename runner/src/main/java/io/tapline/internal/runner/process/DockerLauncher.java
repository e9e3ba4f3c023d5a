package io.tapline.internal.runner.process;

import static java.util.Objects.requireNonNull;

import io.tapline.ResourceLimits;
import io.tapline.spi.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Runs a connector from a container image as {@code <runtime> run --rm -i ...}, the way the Airbyte
 * platform runs its connectors. The run's private folder (config, catalog, state) is mounted at
 * {@link #CONTAINER_DIR}, and every argument naming a file in it is rewritten to the container side.
 * Environment variables are passed as {@code -e NAME} without their value: the runtime takes the
 * value from its own environment, so secrets never show on a command line ({@code ps}).
 *
 * <p>Immutable; build with {@link #image(String)}.
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
public record DockerLauncher(String image, List<String> runtime, Optional<String> network, Optional<String> memory,
        Optional<String> cpus, Optional<String> user, List<String> runArgs) {

    /** Where the private folder is mounted inside the container (as on the Airbyte platform). */
    public static final String CONTAINER_DIR = "/config";

    public DockerLauncher {
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

    /**
     * The full command line for one connector command.
     *
     * @param name a container name, unique per run
     * @param args the connector's arguments, e.g. {@code read --config <hostDir>/config.json ...}
     * @param hostDir the private folder holding the files those arguments name
     * @param envNames variables the container gets from the runtime's environment
     * @param limits the plugin's {@code limits:}: memory as {@code --memory} (unless one is set here), CPU time
     *     and open files as {@code --ulimit}
     */
    public List<String> commandLine(String name, List<String> args, Path hostDir, Iterable<String> envNames,
            ResourceLimits limits) {
        List<String> argv = new ArrayList<>(runtime);
        argv.addAll(List.of("run", "--rm", "-i", "--name", name));
        network.ifPresent(n -> argv.addAll(List.of("--network", n)));
        memory.or(() -> limits.memoryBytes().map(String::valueOf)).ifPresent(m -> argv.addAll(List.of("--memory", m)));
        cpus.ifPresent(c -> argv.addAll(List.of("--cpus", c)));
        limits.cpuTime().ifPresent(t -> argv.addAll(List.of("--ulimit", "cpu=" + t.toSeconds() + ":"
                + (t.toSeconds() + 5))));
        limits.openFiles().ifPresent(n -> argv.addAll(List.of("--ulimit", "nofile=" + n + ":" + n)));
        user.ifPresent(u -> argv.addAll(List.of("--user", u)));
        argv.addAll(List.of("-v", hostDir.toAbsolutePath() + ":" + CONTAINER_DIR));
        new TreeSet<String>(toList(envNames)).forEach(e -> argv.addAll(List.of("-e", e)));
        argv.addAll(runArgs);
        argv.add(image);
        String prefix = hostDir.toAbsolutePath() + "/";
        for (String a : args) {
            argv.add(a.startsWith(prefix) ? CONTAINER_DIR + "/" + a.substring(prefix.length()) : a);
        }
        return List.copyOf(argv);
    }

    private static List<String> toList(Iterable<String> it) {
        List<String> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
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

        public DockerLauncher build() {
            return new DockerLauncher(image, runtime, network, memory, cpus, user, runArgs);
        }
    }
}
