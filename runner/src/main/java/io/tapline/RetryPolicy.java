package io.tapline;

import java.time.Duration;

/**
 * How often a run retries a failed tap. Each retry is a fresh run from the last committed state, so
 * nothing committed is loaded again; records after it come again (at-least-once, as for any rerun).
 * Only tap failures are retried (a non-zero exit, an idle timeout): bad output, configuration errors,
 * a held lock and a stop by SIGTERM/SIGINT fail at once.
 *
 * <p>Retry {@code n} (1-based) waits {@code min(maxDelay, initialDelay * multiplier^(n-1))}, without jitter:
 * one runner retries one tap, so there is no herd to spread.
 *
 * @param maxAttempts attempts in all, the first run included; 1 means no retries (the default)
 * @param initialDelay wait before the first retry
 * @param maxDelay longest wait between two attempts
 * @param multiplier growth of the wait per retry, at least 1
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, double multiplier) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= initialDelay <= maxDelay");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1");
        }
    }

    /** No retries. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 2.0);
    }

    /** {@code maxAttempts} attempts, waits doubling from {@code initialDelay} up to {@code maxDelay}. */
    public static RetryPolicy exponential(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, 2.0);
    }

    public boolean enabled() { return maxAttempts > 1; }

    /** The wait before retry {@code retry} (1 = the first retry). */
    public Duration delayBefore(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1");
        }
        double nanos = initialDelay.toNanos() * Math.pow(multiplier, retry - 1);
        return nanos >= maxDelay.toNanos() ? maxDelay : Duration.ofNanos((long) nanos);
    }
}
