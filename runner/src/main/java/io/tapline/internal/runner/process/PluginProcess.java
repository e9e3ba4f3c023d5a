package io.tapline.internal.runner.process;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import io.tapline.spi.PluginMetric;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.StartedProcess;
import org.zeroturnaround.exec.stream.ExecuteStreamHandler;

/**
 * A running plugin process (zt-exec). Its stdout is handed to the caller raw, for the protocol
 * parser; its stderr goes line by line to the logger {@code tapline.plugin.<name>}, keeping a tail
 * for error messages. Closing stops the process (TERM, then KILL after a grace period) and its
 * descendants if it is still running.
 */
public final class PluginProcess implements RunningPlugin {
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final String name;
    private final StartedProcess started;
    private final Streams streams;
    private volatile boolean closed;

    private PluginProcess(String name, StartedProcess started, Streams streams) {
        this.name = name;
        this.started = started;
        this.streams = streams;
    }

    /** Starts {@code argv}; the environment is the parent's plus {@code env}. */
    public static PluginProcess start(String name, List<String> argv, Map<String, String> env, Path workingDir) {
        return start(name, argv, env, workingDir, Redactor.none(), m -> { });
    }

    /** Starts {@code argv}; {@code redactor} masks secrets in its logged stderr and in the stderr tail. */
    public static PluginProcess start(String name, List<String> argv, Map<String, String> env, Path workingDir,
            Redactor redactor) {
        return start(name, argv, env, workingDir, redactor, m -> { });
    }

    /**
     * As {@link #start(String, List, Map, Path, Redactor)}; SDK metric lines on stderr go to
     * {@code metrics} (on the stderr thread).
     */
    public static PluginProcess start(String name, List<String> argv, Map<String, String> env, Path workingDir,
            Redactor redactor, Consumer<PluginMetric> metrics) {
        Streams streams = new Streams(name, redactor, metrics);
        try {
            StartedProcess started = Processes.executor()
                    .command(argv)
                    .directory(workingDir.toFile())
                    .environment(env)
                    .exitValueAny()
                    .redirectErrorStream(false) // zt-exec merges stderr into stdout by default
                    .streams(streams)
                    .start();
            return new PluginProcess(name, started, streams);
        } catch (IOException e) {
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name,
                    "could not start plugin '" + name + "' (" + argv.get(0) + "): " + e.getMessage(), e);
        }
    }

    @Override
    public String name() { return name; }

    /** The process's stdout. Read it on one thread only. */
    @Override
    public InputStream stdout() { return streams.stdout; }

    /** Waits for the process to exit and for its stderr to drain; returns the exit code. */
    @Override
    public int waitFor(Duration timeout) {
        try {
            ProcessResult result = started.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // a plugin we stopped (shutdown, SIGTERM) never ran to its end: a shell whose 'wait' saw its
            // child die first exits 0, which must not count as a finished run
            return closed && result.getExitValue() == 0 ? 128 + 15 : result.getExitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginFailedException(ErrorCode.INTERRUPTED, name, "interrupted waiting for '" + name + "'", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name,
                    "plugin '" + name + "' did not exit within " + timeout.toSeconds() + "s after closing its output", e);
        }
    }

    /** The last lines the process wrote to stderr. */
    @Override
    public List<String> stderrTail() { return streams.tail(); }

    public boolean isAlive() { return started.getProcess().isAlive(); }

    /** Stops the process and its descendants if still running. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Process p = started.getProcess();
        // the whole tree: a tap is often a shell or Python launcher with children of its own
        List<ProcessHandle> tree = new java.util.ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy); // TERM
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
                h.destroyForcibly(); // KILL after the grace period
            } catch (InterruptedException e) {
                h.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            streams.stdout.close();
        } catch (IOException ignored) {
            // the process is gone
        }
        streams.joinStderr();
    }

    /**
     * zt-exec stream handler that leaves stdout to us and pumps stderr into the log. zt-exec closes
     * the process's streams right after {@link #stop()}, as soon as the process exits; stop() therefore
     * waits until the caller has read stdout to its end (or closed it), so no buffered output is lost.
     */
    private static final class Streams implements ExecuteStreamHandler {
        private final StderrTail tail;
        private final CountDownLatch stdoutDone = new CountDownLatch(1);
        private InputStream stdout;
        private InputStream stderr;
        private Thread stderrPump;

        Streams(String name, Redactor redactor, Consumer<PluginMetric> metrics) {
            this.tail = new StderrTail(LoggerFactory.getLogger("tapline.plugin." + name), name, redactor, metrics);
        }

        @Override
        public void setProcessInputStream(OutputStream os) throws IOException {
            os.close(); // taps read no stdin; an open pipe would only keep some of them waiting
        }

        @Override
        public void setProcessErrorStream(InputStream is) { this.stderr = is; }

        @Override
        public void setProcessOutputStream(InputStream is) {
            this.stdout = new FilterInputStream(is) {
                // once at EOF, zt-exec may close the pipe: later reads must not touch it
                private volatile boolean eof;

                @Override
                public int read() throws IOException {
                    if (eof) {
                        return -1;
                    }
                    int b = super.read();
                    if (b < 0) {
                        eof = true;
                        stdoutDone.countDown();
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (eof) {
                        return -1;
                    }
                    int n = super.read(buf, off, len);
                    if (n < 0) {
                        eof = true;
                        stdoutDone.countDown();
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    stdoutDone.countDown();
                    super.close();
                }
            };
        }

        @Override
        public void start() {
            stderrPump = new Thread(this::pumpStderr, "tapline-stderr");
            stderrPump.setDaemon(true);
            stderrPump.start();
        }

        @Override
        public void stop() {
            try {
                stdoutDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            joinStderr();
        }

        void joinStderr() {
            try {
                if (stderrPump != null) {
                    stderrPump.join(TimeUnit.SECONDS.toMillis(10));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void pumpStderr() {
            try (tail) {
                stderr.transferTo(tail);
            } catch (IOException e) {
                // the process is gone; what was read is logged
            }
        }

        List<String> tail() {
            return tail.lines();
        }
    }
}
