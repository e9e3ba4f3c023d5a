package io.tapline.internal.runner.pipeline;

import io.tapline.RunResult;
import io.tapline.internal.runner.process.Secrets;
import io.tapline.spi.StateBlob;
import io.tapline.spi.TaplineException;
import io.tapline.spi.RunFinished;
import io.tapline.spi.RunListener;
import io.tapline.spi.RunStarted;
import io.tapline.spi.StateStore;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Frames one run for its listeners: {@link RunListener#runStarted} before, {@link RunListener#runFinished}
 * after, success or not, with the error message masked by the tap's {@link Secrets}, so run history and
 * alerts, which store and send that message, hold no secret.
 */
public final class RunLifecycle {
    private RunLifecycle() {}

    /** Runs {@code body} between the two callbacks; its result or exception passes through unchanged. */
    public static RunResult run(String pipeline, String stateId, StateStore stateStore, RunListener listener,
            Secrets secrets, Supplier<RunResult> body) {
        Optional<StateBlob> before = readQuietly(stateStore, stateId);
        RunStarted start = new RunStarted(UUID.randomUUID().toString(), pipeline, stateId, Instant.now(), before);
        listener.runStarted(start);
        try {
            RunResult result = body.get();
            listener.runFinished(new RunFinished(start, Instant.now(), RunFinished.Status.SUCCESS, Optional.empty(), 0,
                    result.rowsWritten(), result.bytesRead(), result.finalState().or(() -> before)));
            return result;
        } catch (RuntimeException | Error e) {
            int exit = e instanceof TaplineException te ? te.errorCode().exitCode() : 1;
            String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            listener.runFinished(new RunFinished(start, Instant.now(), RunFinished.Status.FAILED,
                    Optional.of(secrets.mask(message)), exit, -1, 0, readQuietly(stateStore, stateId)));
            throw e;
        }
    }

    private static Optional<StateBlob> readQuietly(StateStore store, String stateId) {
        try {
            return store.read(stateId);
        } catch (RuntimeException e) {
            return Optional.empty(); // the run itself reports an unreadable state
        }
    }
}
