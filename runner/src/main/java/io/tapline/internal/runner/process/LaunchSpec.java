package io.tapline.internal.runner.process;

import static java.util.Objects.requireNonNull;

import io.tapline.ResourceLimits;
import io.tapline.SingerPlugin;
import io.tapline.SshRemote;
import io.tapline.Tap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything tapline decides about one process it starts for a plugin, whatever the path (a run's tap,
 * discovery, {@code invoke}, a mapper, an external target, an Airbyte source locally or in a container,
 * a tap over SSH). {@link Launcher#start} turns it into a running process and applies the protections
 * every path shares; nothing else starts plugin processes. Immutable.
 *
 * @param name the plugin's name: its logger is {@code tapline.plugin.<name>}, errors name it
 * @param role what the process is for, for logs
 * @param argv executable and arguments (for a container: the connector's arguments; for SSH: a command on
 *     the remote host)
 * @param workingDirectory the local process's working directory
 * @param environment the plugin's own variables (its settings, {@code env:}); never logged
 * @param environmentMode whether the process also sees tapline's whole environment or only what programs need
 * @param limits operating-system limits ({@code limits:})
 * @param secrets values masked in the stderr it logs and keeps for error messages
 * @param where where it runs
 * @param stdin what the process reads
 */
public record LaunchSpec(String name, Role role, List<String> argv, Path workingDirectory,
        Map<String, String> environment, PluginEnvironment.Mode environmentMode, ResourceLimits limits,
        Secrets secrets, Where where, Stdin stdin) {

    /** What the process is for. */
    public enum Role { TAP, DISCOVERY, INVOKE, MAPPER, TARGET, AIRBYTE_SOURCE }

    /** What the process reads on stdin (a chain wires each stage's stdin to the stage before). */
    public enum Stdin {
        /** Nothing: taps read no stdin, and an open pipe would keep some of them waiting. */
        NONE,
        /** tapline's own stdin ({@code tapline invoke target-x < data.jsonl}). */
        INHERIT,
        /** A pipe tapline writes: the run loop feeding the first mapper or an external target. */
        PIPE
    }

    /** Where a plugin process runs. */
    public sealed interface Where permits Local, Container, Remote {}

    /** A child process of tapline. */
    public record Local() implements Where {}

    /**
     * In a container started by {@code image}'s runtime; {@code privateDir} (config, catalog, state) is
     * mounted into it and arguments naming its files are rewritten.
     */
    public record Container(io.tapline.ContainerImage image, Path privateDir) implements Where {
        public Container {
            requireNonNull(image, "image is null");
            requireNonNull(privateDir, "privateDir is null");
        }
    }

    /** On {@code remote}'s host; the files of {@code privateDir} that the arguments name are copied there. */
    public record Remote(SshRemote remote, Path privateDir) implements Where {
        public Remote {
            requireNonNull(remote, "remote is null");
            requireNonNull(privateDir, "privateDir is null");
        }
    }

    public LaunchSpec {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        argv = List.copyOf(argv);
        if (argv.isEmpty() && !(where instanceof Container)) {
            throw new IllegalArgumentException("plugin '" + name + "' has no command");
        }
        requireNonNull(workingDirectory, "workingDirectory is null");
        environment = Map.copyOf(environment);
        requireNonNull(environmentMode, "environmentMode is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(secrets, "secrets is null");
        requireNonNull(where, "where is null");
        requireNonNull(stdin, "stdin is null");
    }

    /**
     * {@code tap}'s command followed by {@code args}, run where the tap says: over SSH, in its container
     * (Airbyte), else locally. {@code privateDir} holds the files the arguments name.
     */
    public static LaunchSpec forTap(Tap tap, Role role, List<String> args, Path privateDir) {
        List<String> argv = new ArrayList<>(tap.command());
        argv.addAll(args);
        Where where = tap.remote().<Where>map(r -> new Remote(r, privateDir))
                .or(() -> tap.airbyte().docker().map(d -> new Container(d, privateDir)))
                .orElse(new Local());
        return new LaunchSpec(tap.name(), role, argv, tap.workingDirectory().orElse(Path.of("").toAbsolutePath()),
                tap.environment(), mode(tap.environmentMode()), tap.limits(), Secrets.of(tap.secrets()), where,
                Stdin.NONE);
    }

    /** A mapper or external target: {@code argv} (its command and {@code --config <file>}), local, stdin piped. */
    public static LaunchSpec forPlugin(SingerPlugin plugin, Role role, List<String> argv) {
        return new LaunchSpec(plugin.name(), role, argv,
                plugin.workingDirectory().orElse(Path.of("").toAbsolutePath()), plugin.environment(),
                mode(plugin.environmentMode()), plugin.limits(), Secrets.of(plugin.secrets()), new Local(), Stdin.NONE);
    }

    public LaunchSpec withStdin(Stdin value) {
        return new LaunchSpec(name, role, argv, workingDirectory, environment, environmentMode, limits, secrets, where,
                value);
    }

    public LaunchSpec withSecrets(Secrets more) {
        return new LaunchSpec(name, role, argv, workingDirectory, environment, environmentMode, limits,
                secrets.and(more), where, stdin);
    }

    static PluginEnvironment.Mode mode(Tap.EnvironmentMode mode) {
        return mode == Tap.EnvironmentMode.INHERIT ? PluginEnvironment.Mode.INHERIT : PluginEnvironment.Mode.CLEAN;
    }

    @Override
    public String toString() { // the record default would print the environment
        return "LaunchSpec[" + role + " '" + name + "' " + where.getClass().getSimpleName() + "]";
    }
}
