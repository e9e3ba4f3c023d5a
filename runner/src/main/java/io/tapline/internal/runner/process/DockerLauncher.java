package io.tapline.internal.runner.process;

import io.tapline.ContainerImage;
import io.tapline.ResourceLimits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The runtime command line that starts a {@link ContainerImage} for one connector command. */
public final class DockerLauncher {
    /** Where the private folder is mounted inside the container (as on the Airbyte platform). */
    public static final String CONTAINER_DIR = "/config";

    private DockerLauncher() {}

    /**
     * The full command line for one connector command.
     *
     * @param c the image and how to run it
     * @param name a container name, unique per run
     * @param args the connector's arguments, e.g. {@code read --config <hostDir>/config.json ...}
     * @param hostDir the private folder holding the files those arguments name
     * @param envNames variables the container gets from the runtime's environment
     * @param limits the plugin's {@code limits:}: memory as {@code --memory} (unless one is set here), CPU time
     *     and open files as {@code --ulimit}
     */
    public static List<String> commandLine(ContainerImage c, String name, List<String> args, Path hostDir, Iterable<String> envNames,
            ResourceLimits limits) {
        List<String> argv = new ArrayList<>(c.runtime());
        argv.addAll(List.of("run", "--rm", "-i", "--name", name));
        c.network().ifPresent(n -> argv.addAll(List.of("--network", n)));
        c.memory().or(() -> limits.memoryBytes().map(String::valueOf)).ifPresent(m -> argv.addAll(List.of("--memory", m)));
        c.cpus().ifPresent(n -> argv.addAll(List.of("--cpus", n)));
        limits.cpuTime().ifPresent(t -> argv.addAll(List.of("--ulimit", "cpu=" + t.toSeconds() + ":"
                + (t.toSeconds() + 5))));
        limits.openFiles().ifPresent(n -> argv.addAll(List.of("--ulimit", "nofile=" + n + ":" + n)));
        c.user().ifPresent(u -> argv.addAll(List.of("--user", u)));
        argv.addAll(List.of("-v", hostDir.toAbsolutePath() + ":" + CONTAINER_DIR));
        new TreeSet<String>(toList(envNames)).forEach(e -> argv.addAll(List.of("-e", e)));
        argv.addAll(c.runArgs());
        argv.add(c.image());
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

}
