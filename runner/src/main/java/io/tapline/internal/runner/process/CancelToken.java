package io.tapline.internal.runner.process;

/**
 * Lets another thread cancel a run: {@link #cancel()} stops the run's plugin, now or as soon as it
 * starts, which ends the run the way a failing plugin does (what came before its last state is
 * committed). Thread-safe; cancel is idempotent.
 */
public final class CancelToken {
    private final java.util.concurrent.CountDownLatch cancelledLatch = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean cancelled;
    private volatile RunningPlugin plugin;

    /** The plugin to stop on cancel; stopped at once if cancel came first. */
    public void watch(RunningPlugin p) {
        this.plugin = p;
        if (cancelled) {
            p.close();
        }
    }

    public void cancel() {
        cancelled = true;
        cancelledLatch.countDown();
        RunningPlugin p = plugin;
        if (p != null) {
            p.close();
        }
    }

    public boolean isCancelled() { return cancelled; }

    /**
     * Waits up to {@code timeout} for a cancel (a retry's backoff). True if the run was cancelled or the waiting
     * thread interrupted (its interrupt flag stays set): either way the caller stops.
     */
    public boolean awaitCancel(java.time.Duration timeout) {
        try {
            return cancelledLatch.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
