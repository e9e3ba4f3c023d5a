package io.tapline.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A run ended.
 *
 * @param start what {@link RunListener#runStarted} was given
 * @param endedAt wall-clock end
 * @param status success or failure
 * @param error the failure's message (no secret values), empty on success
 * @param exitCode the CLI exit code the failure maps to (0 on success)
 * @param rowsCommitted records committed by the run
 * @param bytesRead bytes read from the tap (0 when the run failed before the total was known)
 * @param stateAfter the stored state after the run
 */
public record RunFinished(RunStarted start, Instant endedAt, Status status, Optional<String> error, int exitCode,
        long rowsCommitted, long bytesRead, Optional<StateBlob> stateAfter) {

    /** How a run ended. */
    public enum Status { SUCCESS, FAILED }

    public RunFinished {
        requireNonNull(start, "start is null");
        requireNonNull(endedAt, "endedAt is null");
        requireNonNull(status, "status is null");
        requireNonNull(error, "error is null");
        requireNonNull(stateAfter, "stateAfter is null");
    }

    public String runId() { return start.runId(); }

    public String pipeline() { return start.pipeline(); }

    public Duration duration() { return Duration.between(start.startedAt(), endedAt); }

    public boolean failed() { return status == Status.FAILED; }
}
