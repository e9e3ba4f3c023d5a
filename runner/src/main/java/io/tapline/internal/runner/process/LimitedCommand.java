package io.tapline.internal.runner.process;

import io.tapline.ResourceLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts a plugin's command under {@link ResourceLimits}: {@code /bin/sh -c 'ulimit ...; exec "$0" "$@"' argv...}.
 * The shell applies the limits to itself and then becomes the plugin, so the pid, the stdout pipe and
 * the process tree are the plugin's own. Available wherever there is a POSIX shell (Linux, macOS).
 */
public final class LimitedCommand {
    private LimitedCommand() {}

    public static List<String> wrap(List<String> argv, ResourceLimits limits) {
        if (limits.isEmpty()) {
            return argv;
        }
        StringBuilder script = new StringBuilder();
        limits.memoryBytes().ifPresent(b -> script.append("ulimit -v ").append(Math.max(1, b / 1024)).append(" && "));
        // soft limit: SIGXCPU, which says what happened; the hard limit 5 s later is the kernel's SIGKILL
        limits.cpuTime().ifPresent(t -> script.append("ulimit -t ").append(t.toSeconds() + 5)
                .append(" && ulimit -S -t ").append(t.toSeconds()).append(" && "));
        limits.openFiles().ifPresent(n -> script.append("ulimit -n ").append(n).append(" && "));
        script.append("exec \"$0\" \"$@\"");
        List<String> out = new ArrayList<>(List.of("/bin/sh", "-c", script.toString()));
        out.addAll(argv);
        return out;
    }

    /** A line for the error message when a limited plugin failed, saying which limit it may have hit. */
    public static Optional<String> explain(int exitCode, ResourceLimits limits) {
        if (limits.isEmpty()) {
            return Optional.empty();
        }
        String hint = switch (exitCode) {
            case 152 -> "it was stopped by SIGXCPU: its CPU time limit ran out";
            case 137 -> "it was killed (SIGKILL), e.g. for going over a hard limit";
            default -> "an allocation or file open beyond a limit fails inside the plugin (e.g. Python's MemoryError "
                    + "or 'Too many open files')";
        };
        return Optional.of("tapline: the plugin ran with limits (" + limits.describe() + "); " + hint);
    }
}
