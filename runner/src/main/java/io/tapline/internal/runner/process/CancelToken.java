package io.tapline.internal.runner.process;

/**
 * Lets another thread cancel a run: {@link #cancel()} stops the run's plugin, now or as soon as it
 * starts, which ends the run the way a failing plugin does (what came before its last state is
 * committed). Thread-safe; cancel is idempotent.
 */
public final class CancelToken {
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
        RunningPlugin p = plugin;
        if (p != null) {
            p.close();
        }
    }

    public boolean isCancelled() { return cancelled; }
}
