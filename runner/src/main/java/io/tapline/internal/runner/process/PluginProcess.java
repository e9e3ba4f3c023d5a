package io.tapline.internal.runner.process;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running local plugin process (or a container runtime running one). Its stdout is handed to the
 * caller raw, for the protocol parser; its stderr goes line by line through a {@link StderrTail} (masked,
 * logged at the plugin's level, last lines kept). Closing stops the process (TERM, then KILL after a grace
 * period) and its descendants if it is still running. Started only by {@link Launcher}.
 */
public final class PluginProcess implements RunningPlugin {
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long STDERR_JOIN_MILLIS = 10_000;

    private final String name;
    private final Process process;
    private final StderrTail tail;
    private final Thread stderrPump;
    private volatile boolean closed;

    private PluginProcess(String name, Process process, StderrTail tail, Thread stderrPump) {
        this.name = name;
        this.process = process;
        this.tail = tail;
        this.stderrPump = stderrPump;
    }

    static PluginProcess start(String name, ProcessBuilder builder, StderrTail tail) {
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            // the JDK's message names the program and the errno, never the environment
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name,
                    "could not start plugin '" + name + "': " + e.getMessage(), e);
        }
        Thread pump = pump(process.getErrorStream(), tail, "tapline-stderr-" + name);
        return new PluginProcess(name, process, tail, pump);
    }

    /** A daemon thread copying {@code err} into {@code tail} until EOF. */
    static Thread pump(InputStream err, StderrTail tail, String threadName) {
        Thread pump = new Thread(() -> {
            try (tail) {
                err.transferTo(tail);
            } catch (IOException e) {
                // the process is gone; what was read is logged
            }
        }, threadName);
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    @Override
    public String name() { return name; }

    /** The process's stdout. Read it on one thread only. */
    @Override
    public InputStream stdout() { return process.getInputStream(); }

    /** Waits for the process to exit and for its stderr to drain; returns the exit code. */
    @Override
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name,
                        "plugin '" + name + "' did not exit within " + timeout.toSeconds() + "s after closing its output",
                        null);
            }
            stderrPump.join(STDERR_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginFailedException(ErrorCode.INTERRUPTED, name, "interrupted waiting for '" + name + "'", e);
        }
        // a plugin we stopped (shutdown, SIGTERM) never ran to its end: a shell whose 'wait' saw its
        // child die first exits 0, which must not count as a finished run
        return closed && process.exitValue() == 0 ? 128 + 15 : process.exitValue();
    }

    /** The last lines the process wrote to stderr, masked. */
    @Override
    public List<String> stderrTail() { return tail.lines(); }

    public boolean isAlive() { return process.isAlive(); }

    /** Stops the process and its descendants if still running. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(List.of(process));
        try {
            process.getInputStream().close();
        } catch (IOException ignored) {
            // the process is gone
        }
        try {
            stderrPump.join(STDERR_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * TERM to each process tree (a tap is often a shell or Python launcher with children of its own),
     * KILL what is left after the grace period.
     */
    static void stop(List<Process> processes) {
        List<ProcessHandle> tree = new ArrayList<>();
        for (Process p : processes) {
            tree.addAll(p.descendants().toList());
            tree.add(p.toHandle());
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                h.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
