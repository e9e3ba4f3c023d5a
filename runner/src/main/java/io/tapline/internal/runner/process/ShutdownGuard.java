package io.tapline.internal.runner.process;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While a run is going, a JVM shutdown (SIGTERM, SIGINT, System.exit) stops its plugin process
 * tree first and then waits, up to a grace period, for the run to commit what came before the
 * plugin's last state: no orphan process, nothing committed lost. Closing it (when the run has
 * released everything) removes the hook.
 */
public final class ShutdownGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShutdownGuard.class);
    private static final long GRACE_SECONDS = 30;

    private final Thread hook;
    private final CountDownLatch done = new CountDownLatch(1);
    private final CancelToken cancel;
    private volatile RunningPlugin process;

    public ShutdownGuard(String runName) {
        this(runName, new CancelToken());
    }

    /** Also hands each watched plugin to {@code cancel}. */
    public ShutdownGuard(String runName, CancelToken cancel) {
        this.cancel = cancel;
        this.hook = new Thread(this::onShutdown, "tapline-shutdown-" + runName);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The process to stop if the JVM shuts down. */
    public void watch(RunningPlugin p) {
        this.process = p;
        cancel.watch(p);
    }

    private void onShutdown() {
        RunningPlugin p = process;
        if (p == null) {
            return;
        }
        log.warn("Shutting down: stopping '{}' and committing what came before its last state", p.name());
        p.close();
        try {
            if (!done.await(GRACE_SECONDS, TimeUnit.SECONDS)) {
                log.warn("The run did not finish within {} s of the shutdown", GRACE_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once the JVM has begun shutting down (SIGTERM, SIGINT, System.exit): no new run should start. */
    public static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { }, "tapline-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running and now returns
        }
    }
}
