package io.tapline.internal.runner.process;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginMetric;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The one launch policy: starts the process a {@link LaunchSpec} describes and applies, on every path, the
 * same protections.
 * <ul>
 *   <li>Environment: in CLEAN mode only what programs need to run plus the plugin's own variables
 *       ({@link PluginEnvironment}); INHERIT adds tapline's whole environment. A container sees only the
 *       plugin's variables ({@code -e NAME}, values taken from the runtime's environment, so none is on a
 *       command line); a remote host sees its login environment plus the plugin's variables.</li>
 *   <li>{@code limits:}: {@code ulimit} in a {@code /bin/sh} wrapper, locally and on the remote host; the
 *       runtime's {@code --memory}/{@code --ulimit} flags in a container.</li>
 *   <li>stderr: to logger {@code tapline.plugin.<name>}, each line at the level the plugin gave it, with the
 *       spec's {@link Secrets} masked, in the log and in the tail kept for error messages.</li>
 *   <li>A missing executable is a {@link ConfigException} (exit 2) saying what to add, never a start error
 *       that could carry the environment.</li>
 * </ul>
 * Holds only the parent environment (tapline's, or a test's), so it is immutable and thread-safe.
 */
public final class Launcher {
    private final Map<String, String> parentEnv;

    public Launcher(Map<String, String> parentEnv) {
        this.parentEnv = Map.copyOf(requireNonNull(parentEnv, "parentEnv is null"));
    }

    /** A launcher whose clean environments are cut from this JVM's environment. */
    public static Launcher forThisProcess() {
        return new Launcher(System.getenv());
    }

    public RunningPlugin start(LaunchSpec spec) {
        return start(spec, m -> { });
    }

    /** Starts {@code spec}; Singer SDK metric lines of its stderr go to {@code metrics} (on the stderr thread). */
    public RunningPlugin start(LaunchSpec spec, Consumer<PluginMetric> metrics) {
        StderrTail stderr = stderr(spec, metrics);
        if (spec.where() instanceof LaunchSpec.Remote r) {
            return SshPluginProcess.start(spec.name(), r.remote(), LimitedCommand.wrap(spec.argv(), spec.limits()),
                    spec.environment(), r.privateDir(), stderr);
        }
        return PluginProcess.start(spec.name(), processBuilder(spec), stderr);
    }

    /**
     * Starts local plugins piped stdout to stdin (tap, mappers, external target), each under the same
     * policy as {@link #start}.
     */
    public ProcessChain startChain(List<LaunchSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a process chain needs at least one stage");
        }
        List<ProcessChain.Stage> stages = new ArrayList<>();
        for (LaunchSpec s : specs) {
            if (!(s.where() instanceof LaunchSpec.Local)) {
                throw new ConfigException("plugin '" + s.name() + "' runs " + (s.where() instanceof LaunchSpec.Remote
                        ? "over SSH" : "in a container") + "; it cannot be piped into mappers or a Singer target yet");
            }
            stages.add(new ProcessChain.Stage(s.name(), processBuilder(s), stderr(s, m -> { })));
        }
        return ProcessChain.start(stages);
    }

    /** The variables a local process for {@code spec} gets (for a container: its runtime process). */
    public Map<String, String> environment(LaunchSpec spec) {
        if (spec.where() instanceof LaunchSpec.Container) {
            // the runtime is tapline's tool, not the plugin: the container sees only the -e names
            Map<String, String> env = new java.util.HashMap<>(parentEnv);
            env.putAll(spec.environment());
            return env;
        }
        return PluginEnvironment.resolve(spec.name(), parentEnv, spec.environment(), spec.environmentMode());
    }

    /** The command line for {@code spec} as it is started (limits wrapper, container runtime). */
    List<String> commandLine(LaunchSpec spec) {
        if (spec.where() instanceof LaunchSpec.Container c) {
            String container = "tapline-" + spec.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "-"
                    + UUID.randomUUID().toString().substring(0, 8);
            return DockerLauncher.commandLine(c.image(), container, spec.argv(), c.privateDir(), containerEnvNames(spec),
                    spec.limits());
        }
        return LimitedCommand.wrap(spec.argv(), spec.limits());
    }

    /** The one place a local process (or a container runtime) is configured. */
    ProcessBuilder processBuilder(LaunchSpec spec) {
        Map<String, String> env = environment(spec);
        List<String> argv = commandLine(spec);
        String executable = spec.where() instanceof LaunchSpec.Container c ? c.image().runtime().get(0)
                : spec.argv().get(0);
        requireExecutable(spec, executable, env);
        ProcessBuilder pb = new ProcessBuilder(argv).directory(spec.workingDirectory().toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(switch (spec.stdin()) {
            case INHERIT -> ProcessBuilder.Redirect.INHERIT;
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case NONE -> ProcessBuilder.Redirect.from(new File("/dev/null"));
        });
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        return pb;
    }

    /** The plugin's variables, and in CLEAN mode too the parent's that are named for the plugin. */
    private Set<String> containerEnvNames(LaunchSpec spec) {
        Set<String> names = new LinkedHashSet<>(spec.environment().keySet());
        String prefix = spec.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
        parentEnv.keySet().stream().filter(n -> n.startsWith(prefix)).forEach(names::add);
        return names;
    }

    private static StderrTail stderr(LaunchSpec spec, Consumer<PluginMetric> metrics) {
        return new StderrTail(LoggerFactory.getLogger("tapline.plugin." + spec.name()), spec.name(), spec.secrets(),
                metrics);
    }

    /**
     * Fails with what to add when {@code executable} is neither a file nor on the process's PATH; the
     * message names the plugin and the executable, never the environment.
     */
    private static void requireExecutable(LaunchSpec spec, String executable, Map<String, String> env) {
        if (executable.contains("/")) {
            Path p = spec.workingDirectory().resolve(executable);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return;
            }
            throw missing(spec, executable, Files.exists(p) ? "is not an executable file" : "does not exist");
        }
        // the JDK looks a program up on tapline's own PATH; a plugin's env: may set another one for its children
        String path = env.getOrDefault("PATH", "") + File.pathSeparator + System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir).resolve(executable);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return;
                }
            }
        }
        throw missing(spec, executable, "is not on the PATH");
    }

    private static ConfigException missing(LaunchSpec spec, String executable, String why) {
        if (spec.where() instanceof LaunchSpec.Container) {
            return new ConfigException(ErrorCode.PLUGIN_EXECUTABLE_MISSING, "plugin '" + spec.name()
                    + "' runs in a container, but the container runtime '" + executable + "' " + why
                    + "; install it, or name another runtime in the plugin's container: settings");
        }
        return new ConfigException(ErrorCode.PLUGIN_EXECUTABLE_MISSING, "plugin '" + spec.name()
                + "' has no executable: '" + executable + "' " + why + ". Add a pip_url (tapline installs it into a "
                + "virtualenv), an executable: that names an installed program or file, or use a plugin name (or "
                + "variant) from tapline's plugin catalog, which brings its pip_url");
    }
}
