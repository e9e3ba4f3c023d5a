package io.tapline.internal.runner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.RetryPolicy;
import io.tapline.RunResult;
import io.tapline.internal.runner.process.CancelToken;
import io.tapline.spi.PluginFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retries stop on cancel: a cancelled run is not attempted again, and a cancel ends the backoff at once. */
class RetryingCancelTest {
    private static final RetryPolicy TEN_MINUTE_BACKOFF =
            RetryPolicy.exponential(5, Duration.ofMinutes(10), Duration.ofMinutes(10));

    @Test
    void aRunCancelledDuringAnAttemptIsNotRetried() {
        CancelToken cancel = new CancelToken();
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> Retrying.run("tap-x", TEN_MINUTE_BACKOFF, cancel, () -> {
            attempts.incrementAndGet();
            cancel.cancel(); // as RunHandle.cancel() does while the tap runs: the tap is stopped and fails
            throw new PluginFailedException("tap-x", 143, List.of());
        })).isInstanceOf(PluginFailedException.class);

        assertThat(attempts).hasValue(1);
    }

    @Test
    void aCancelDuringTheBackoffEndsItAtOnce() throws Exception {
        CancelToken cancel = new CancelToken();
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch firstAttemptFailed = new CountDownLatch(1);
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> Retrying.run("tap-x",
                TEN_MINUTE_BACKOFF, cancel, () -> {
                    attempts.incrementAndGet();
                    firstAttemptFailed.countDown();
                    throw new PluginFailedException("tap-x", 1, List.of());
                }));

        assertThat(firstAttemptFailed.await(30, TimeUnit.SECONDS)).isTrue();
        cancel.cancel();

        // far sooner than the ten-minute backoff: the cancel, not the clock, ended it
        assertThatThrownBy(() -> run.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(PluginFailedException.class);
        assertThat(attempts).hasValue(1);
    }
}
