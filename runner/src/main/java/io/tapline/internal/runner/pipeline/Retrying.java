package io.tapline.internal.runner.pipeline;

import io.tapline.RetryPolicy;
import io.tapline.RunResult;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.TaplineException;
import io.tapline.internal.runner.process.CancelToken;
import io.tapline.internal.runner.process.ShutdownGuard;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts until one succeeds, a failure is not a tap failure, the run is cancelled, or the policy's attempts
 * are used up. Each attempt is a whole new run, so it starts from the last committed state. Blocks the caller
 * during the backoff; a cancel or an interrupt ends the waiting at once and fails with the last error.
 */
public final class Retrying {
    private static final Logger log = LoggerFactory.getLogger(Retrying.class);

    private Retrying() {}

    public static RunResult run(String tap, RetryPolicy policy, CancelToken cancel, Supplier<RunResult> attempt) {
        for (int n = 1; ; n++) {
            try {
                return attempt.get();
            } catch (TaplineException e) {
                if (n >= policy.maxAttempts() || !retriable(e) || cancel.isCancelled()
                        || ShutdownGuard.jvmShuttingDown()) {
                    throw e;
                }
                Duration wait = policy.delayBefore(n);
                log.warn("{} failed (attempt {} of {}): {}; retrying from the last committed state in {} ms", tap, n,
                        policy.maxAttempts(), e.errorCode(), wait.toMillis());
                if (cancel.awaitCancel(wait)) {
                    throw e;
                }
            }
        }
    }

    /** Tap failures only: a non-zero exit or an idle timeout. Bad output would fail the same way again. */
    static boolean retriable(TaplineException e) {
        return e instanceof PluginFailedException && e.isRetriable()
                && (e.errorCode() == ErrorCode.PLUGIN_FAILED || e.errorCode() == ErrorCode.PLUGIN_TIMEOUT);
    }
}
