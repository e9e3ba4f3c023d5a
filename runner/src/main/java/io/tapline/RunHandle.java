package io.tapline;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.TaplineException;
import io.tapline.internal.runner.process.CancelToken;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run started with {@link Pipeline#start(Executor)}. Thread-safe: any thread may cancel, await or
 * close it.
 *
 * <p>{@link #cancel()} stops the tap (TERM, KILL after 5 s, on a remote host too); the run then ends
 * as after a failing tap: what came before the tap's last STATE is committed with it, and
 * {@link #await()} throws a {@link TaplineException} with {@link ErrorCode#INTERRUPTED}. A run cancelled
 * before the executor started it never starts. {@link #close()} is cancel plus waiting until the run
 * released its process, connections and Arrow memory; it is idempotent and never throws.
 *
 * <p>Example, snippet: run-on-your-executor (compiled as {@code io.tapline.examples.EmbeddingExamples} in the
 * runner's tests):
 * <pre>{@code
 * try (RunHandle run = pipeline.start(executor)) {                   // runs on one thread of your executor
 *     Optional<RunResult> done = run.await(Duration.ofMinutes(30));   // empty if still running
 *     return done;
 * }   // close() = cancel + wait until everything is released; idempotent
 * }</pre>
 */
public final class RunHandle implements AutoCloseable {
    private final String stateId;
    private final CancelToken cancel = new CancelToken();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<RunResult> result = new CompletableFuture<>();

    private RunHandle(String stateId) {
        this.stateId = stateId;
    }

    static RunHandle start(Pipeline pipeline, Executor executor) {
        RunHandle h = new RunHandle(pipeline.stateId());
        executor.execute(() -> {
            if (!h.started.compareAndSet(false, true)) {
                return; // cancelled before it started
            }
            try {
                RunResult r = pipeline.run(h.cancel);
                h.result.complete(r);
            } catch (RuntimeException | Error e) {
                h.result.completeExceptionally(h.cancel.isCancelled() ? h.cancelled(e) : e);
            }
        });
        return h;
    }

    /** Asks the run to stop; returns at once. Idempotent. */
    public void cancel() {
        cancel.cancel();
        if (started.compareAndSet(false, true)) {
            result.completeExceptionally(cancelled(null));
        }
    }

    public boolean isDone() { return result.isDone(); }

    /** Completes with the run's result or failure; for callers that compose rather than block. */
    public CompletionStage<RunResult> completion() { return result.minimalCompletionStage(); }

    /**
     * Blocks until the run ends.
     *
     * @throws TaplineException the run's failure (with {@code INTERRUPTED} if it was cancelled, or if
     *     this thread was interrupted while waiting; the run itself goes on then)
     */
    public RunResult await() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaplineException(ErrorCode.INTERRUPTED, "interrupted waiting for run " + stateId, e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** As {@link #await()}, but gives up after {@code timeout}: empty if the run is still going. */
    public Optional<RunResult> await(Duration timeout) {
        try {
            return Optional.of(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaplineException(ErrorCode.INTERRUPTED, "interrupted waiting for run " + stateId, e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** Cancels the run and waits until it released everything. Idempotent; never throws. */
    @Override
    public void close() {
        cancel();
        boolean interrupted = false;
        while (!result.isDone()) {
            try {
                result.handle((r, e) -> null).get();
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: the caller asked for the resources to be released
            } catch (ExecutionException e) {
                break; // cannot happen: handle() swallows the failure
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private TaplineException cancelled(Throwable cause) {
        return new TaplineException(ErrorCode.INTERRUPTED, "run " + stateId + " was cancelled; what came before "
                + "the tap's last state is committed", cause);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new TaplineException(ErrorCode.INTERNAL, "run failed: " + t, t);
    }
}
