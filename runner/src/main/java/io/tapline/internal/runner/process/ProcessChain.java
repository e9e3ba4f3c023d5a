package io.tapline.internal.runner.process;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugins piped stdout to stdin, like a shell pipeline: a tap, then mappers, then possibly a
 * Singer target. The pipes are the operating system's ({@link ProcessBuilder#startPipeline}), so
 * records never pass through the JVM, memory stays bounded by the pipe buffers, and a slow
 * consumer blocks its producer. Each stage's stderr goes to {@code tapline.plugin.<name>}.
 *
 * <p>The first stage that exits non-zero fails the chain. As in Meltano, the stages before it are
 * stopped (TERM, then KILL after 5 s, descendants included): their output has nowhere to go. The
 * stages after it read to the end of what it wrote and finish, so a target still confirms (emits
 * the state of) everything it received. An upstream stage that dies of a broken pipe is not
 * blamed when a stage after it failed first.
 */
public final class ProcessChain implements RunningPlugin {
    private static final Logger log = LoggerFactory.getLogger(ProcessChain.class);

    /** One process of the chain, configured by {@link Launcher}: the builder and where its stderr goes. */
    record Stage(String name, ProcessBuilder builder, StderrTail stderr) {
        Stage {
            requireNonNull(name, "name is null");
            requireNonNull(builder, "builder is null");
            requireNonNull(stderr, "stderr is null");
        }
    }

    private final List<Stage> stages;
    private final List<Process> processes;
    private final List<Thread> pumps = new ArrayList<>();
    /** Each stage's exit handling ({@link #exited}), which runs asynchronously after the process ends. */
    private final List<java.util.concurrent.CompletableFuture<Void>> exitsHandled = new ArrayList<>();
    private final Object lock = new Object();
    private int failedStage = -1; // guarded by lock
    private boolean stopping; // guarded by lock
    private boolean closed; // guarded by lock

    private ProcessChain(List<Stage> stages, List<Process> processes) {
        this.stages = stages;
        this.processes = processes;
        for (int i = 0; i < stages.size(); i++) {
            pumps.add(PluginProcess.pump(processes.get(i).getErrorStream(), stages.get(i).stderr(),
                    "tapline-stderr-" + stages.get(i).name()));
            int index = i;
            exitsHandled.add(processes.get(i).onExit().thenAccept(p -> exited(index, p.exitValue())));
        }
    }

    /** Starts every stage at once, wired stdout to stdin; the first stage's stdin is what its builder says. */
    static ProcessChain start(List<Stage> stages) {
        List<ProcessBuilder> builders = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            ProcessBuilder b = stages.get(i).builder();
            if (i > 0) {
                b.redirectInput(Redirect.PIPE); // startPipeline wires it to the stage before
            }
            builders.add(b);
        }
        try {
            List<Process> processes = ProcessBuilder.startPipeline(builders);
            return new ProcessChain(List.copyOf(stages), processes);
        } catch (IOException e) {
            Stage culprit = stages.stream()
                    .filter(s -> String.valueOf(e.getMessage()).contains(s.builder().command().get(0)))
                    .findFirst().orElse(stages.get(0));
            // the JDK's message names the program and the errno, never the environment
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, culprit.name(), "could not start plugin '"
                    + culprit.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The first stage's stdin: tapline writes to it when the first stage was started with {@code Stdin.PIPE} (the run
     * loop feeding mappers and an external target); closing it is the end of that stage's input.
     */
    public java.io.OutputStream stdin() { return processes.get(0).getOutputStream(); }

    @Override
    public String name() { return stages.get(0).name(); }

    @Override
    public InputStream stdout() { return processes.get(processes.size() - 1).getInputStream(); }

    /** The plugin names, in pipe order. */
    public List<String> names() { return stages.stream().map(Stage::name).toList(); }

    /** The stage that failed first (by index), if one did. */
    public java.util.Optional<String> failedPlugin() {
        synchronized (lock) {
            return failedStage < 0 ? java.util.Optional.empty() : java.util.Optional.of(stages.get(failedStage).name());
        }
    }

    @Override
    public int waitFor(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < processes.size(); i++) {
            try {
                if (!processes.get(i).waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, stages.get(i).name(), "plugin '"
                            + stages.get(i).name() + "' did not exit within " + timeout.toSeconds() + " s", null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PluginFailedException(ErrorCode.INTERRUPTED, stages.get(i).name(),
                        "interrupted waiting for '" + stages.get(i).name() + "'", e);
            }
        }
        // a process can be reaped before its onExit callback ran: wait for the callbacks, or a failing stage is missed
        for (int i = 0; i < exitsHandled.size(); i++) {
            try {
                exitsHandled.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PluginFailedException(ErrorCode.INTERRUPTED, stages.get(i).name(),
                        "interrupted waiting for '" + stages.get(i).name() + "'", e);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("handling the exit of '" + stages.get(i).name() + "' failed", e);
            }
        }
        joinPumps();
        synchronized (lock) {
            return failedStage < 0 ? 0 : processes.get(failedStage).exitValue();
        }
    }

    @Override
    public List<String> stderrTail() {
        synchronized (lock) {
            return stages.get(Math.max(failedStage, 0)).stderr().lines();
        }
    }

    @Override
    public PluginFailedException failure(int exitCode) {
        String name = failedPlugin().orElse(name());
        return new PluginFailedException(name, exitCode, stderrTail());
    }

    /** Stops every stage still running, and its descendants. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = true;
        }
        PluginProcess.stop(processes);
        for (Process p : processes) {
            closeQuietly(p.getInputStream());
        }
        joinPumps();
    }

    /** Called once per stage as it exits; the first failure (not caused by us) stops the stages before it. */
    private void exited(int index, int exitCode) {
        List<Process> others;
        synchronized (lock) {
            if (exitCode == 0 || stopping) {
                return;
            }
            // an upstream stage dying of a broken pipe is the symptom; a stage after it already failed
            int culprit = index;
            for (int j = processes.size() - 1; j > index; j--) {
                Process p = processes.get(j);
                if (!p.isAlive() && p.exitValue() != 0) {
                    culprit = j;
                    break;
                }
            }
            failedStage = culprit;
            stopping = true;
            others = new ArrayList<>();
            for (Process p : processes.subList(0, culprit)) {
                if (p.isAlive()) {
                    others.add(p);
                }
            }
        }
        log.error("Plugin '{}' exited with code {}; stopping {}", stages.get(failedStage).name(),
                processes.get(failedStage).exitValue(), others.isEmpty() ? "no other plugin" : "the plugins before it");
        Thread stopper = new Thread(() -> PluginProcess.stop(others), "tapline-chain-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    private void joinPumps() {
        for (Thread t : pumps) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the process is gone
        }
    }
}
