package io.tapline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Operating-system limits for a plugin process, set with {@code ulimit} in a {@code /bin/sh} wrapper
 * that then {@code exec}s the plugin (same pid, so stopping it works as before). Limits are inherited
 * by the plugin's children; each child gets its own budget.
 *
 * @param memoryBytes address space ({@code RLIMIT_AS}): allocations beyond it fail (Python: MemoryError).
 *     Counts reserved virtual memory, so JVM-based plugins need generous values
 * @param cpuTime CPU time: the kernel sends SIGXCPU (exit 152) when it is used up
 * @param openFiles open file descriptors ({@code RLIMIT_NOFILE})
 */
public record ResourceLimits(Optional<Long> memoryBytes, Optional<Duration> cpuTime, Optional<Integer> openFiles) {
    public ResourceLimits {
        memoryBytes.ifPresent(v -> require(v >= 1 << 20, "memory limit below 1 MiB"));
        cpuTime.ifPresent(v -> require(v.toSeconds() >= 1, "CPU time limit below 1 s"));
        openFiles.ifPresent(v -> require(v >= 8, "open files limit below 8"));
    }

    public static ResourceLimits none() {
        return new ResourceLimits(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean isEmpty() {
        return memoryBytes.isEmpty() && cpuTime.isEmpty() && openFiles.isEmpty();
    }

    public ResourceLimits withMemory(long bytes) { return new ResourceLimits(Optional.of(bytes), cpuTime, openFiles); }

    public ResourceLimits withCpuTime(Duration time) { return new ResourceLimits(memoryBytes, Optional.of(time), openFiles); }

    public ResourceLimits withOpenFiles(int n) { return new ResourceLimits(memoryBytes, cpuTime, Optional.of(n)); }

    /** {@code 512MiB}, {@code 2GiB}, {@code 1G}, {@code 300m} or a number of bytes. */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        String digits = t;
        for (String[] u : new String[][] {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"}, {"kb", "1024"},
                {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1024"}, {"m", "1048576"}, {"g", "1073741824"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                digits = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size like 512MiB", e);
        }
    }

    /** A readable summary for error messages, e.g. {@code memory 512 MiB, CPU time 600 s}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        memoryBytes.ifPresent(v -> parts.add("memory " + (v >> 20) + " MiB"));
        cpuTime.ifPresent(v -> parts.add("CPU time " + v.toSeconds() + " s"));
        openFiles.ifPresent(v -> parts.add("open files " + v));
        return String.join(", ", parts);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }
}
