package io.tapline;

import io.tapline.spi.RecordHandling;
import java.time.Duration;

/**
 * Tuning and state behaviour of a run. Immutable; derive variants with the {@code with...} methods.
 *
 * @param batchRows rows per Arrow batch handed to the target
 * @param batchBytes approximate bytes per batch; whichever limit comes first ends the batch
 * @param commitEvery at a STATE message, flush the target and commit if this long passed since the last commit
 * @param commitEveryRows ... or if this many rows were written since the last commit
 * @param fullRefresh ignore the stored state (the tap starts from scratch)
 * @param updateState commit state at all ({@code false} is Meltano's {@code --no-state-update})
 * @param maxLineBytes longest accepted line of tap output
 * @param idleTimeout a tap that writes nothing for this long is stopped (TERM, then KILL) and the run fails
 * @param force run even if another run holds the state id's lock (Meltano's {@code --force})
 * @param retry how often a failed tap is retried from the last committed state (default: never)
 * @param validation records are checked against their stream's JSON Schema at least this strictly, whatever the
 *     target asks (an external Singer target asks nothing; default {@code OFF}: the target's own setting)
 */
public record PipelineOptions(int batchRows, long batchBytes, Duration commitEvery, long commitEveryRows,
        boolean fullRefresh, boolean updateState, int maxLineBytes, Duration idleTimeout, boolean force,
        RetryPolicy retry, RecordHandling.Validation validation) {

    public PipelineOptions {
        if (batchRows < 1 || batchBytes < 1 || commitEveryRows < 1 || maxLineBytes < 1) {
            throw new IllegalArgumentException("batch, commit and line limits must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        java.util.Objects.requireNonNull(retry, "retry is null");
        java.util.Objects.requireNonNull(validation, "validation is null");
    }

    /** 65,536-row / 64 MiB batches, commit every 60 s or 1M rows, 50 MiB lines, 30 min idle timeout, no retries. */
    public static PipelineOptions defaults() {
        return new PipelineOptions(65_536, 64L << 20, Duration.ofSeconds(60), 1_000_000, false, true,
                50 * 1024 * 1024, Duration.ofMinutes(30), false, RetryPolicy.none(), RecordHandling.Validation.OFF);
    }

    public PipelineOptions withFullRefresh(boolean v) {
        return new PipelineOptions(batchRows, batchBytes, commitEvery, commitEveryRows, v, updateState, maxLineBytes,
                idleTimeout, force, retry, validation);
    }

    public PipelineOptions withUpdateState(boolean v) {
        return new PipelineOptions(batchRows, batchBytes, commitEvery, commitEveryRows, fullRefresh, v, maxLineBytes,
                idleTimeout, force, retry, validation);
    }

    public PipelineOptions withBatchRows(int v) {
        return new PipelineOptions(v, batchBytes, commitEvery, commitEveryRows, fullRefresh, updateState, maxLineBytes,
                idleTimeout, force, retry, validation);
    }

    public PipelineOptions withCommitEvery(Duration v, long rows) {
        return new PipelineOptions(batchRows, batchBytes, v, rows, fullRefresh, updateState, maxLineBytes, idleTimeout, force, retry, validation);
    }

    public PipelineOptions withForce(boolean v) {
        return new PipelineOptions(batchRows, batchBytes, commitEvery, commitEveryRows, fullRefresh, updateState,
                maxLineBytes, idleTimeout, v, retry, validation);
    }

    public PipelineOptions withIdleTimeout(Duration v) {
        return new PipelineOptions(batchRows, batchBytes, commitEvery, commitEveryRows, fullRefresh, updateState,
                maxLineBytes, v, force, retry, validation);
    }

    public PipelineOptions withMaxLineBytes(int v) {
        return new PipelineOptions(batchRows, batchBytes, commitEvery, commitEveryRows, fullRefresh, updateState, v,
                idleTimeout, force, retry, validation);
    }

    public PipelineOptions withRetry(RetryPolicy v) {
        return new PipelineOptions(batchRows, batchBytes, commitEvery, commitEveryRows, fullRefresh, updateState,
                maxLineBytes, idleTimeout, force, v, validation);
    }

    public PipelineOptions withValidation(RecordHandling.Validation v) {
        return new PipelineOptions(batchRows, batchBytes, commitEvery, commitEveryRows, fullRefresh, updateState,
                maxLineBytes, idleTimeout, force, retry, v);
    }
}
