package io.tapline.it.support;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a process (not necessarily our child) to exit, on its exit event, with a timeout. */
public final class ProcessExits {
    private ProcessExits() {}

    /** True once process {@code pid} is gone (or was already), false if it still runs after {@code timeout}. */
    public static boolean await(long pid, Duration timeout) {
        return ProcessHandle.of(pid).map(h -> {
            try {
                h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                return !h.isAlive();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }).orElse(true);
    }
}
