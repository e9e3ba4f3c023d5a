package io.tapline.internal.state.history;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run as the history keeps it.
 *
 * @param runId unique id
 * @param pipeline the pipeline's name
 * @param stateId the state id it read and committed
 * @param startedAt start
 * @param endedAt end, empty while running (or when abandoned)
 * @param status how it stands
 * @param error failure message (secrets redacted)
 * @param exitCode CLI exit code the outcome maps to; empty while running
 * @param rowsCommitted records committed; empty while running or when unknown
 * @param bytesRead bytes read from the tap
 * @param stateBefore the stored state the run started from (JSON)
 * @param stateAfter the stored state after the run (JSON)
 * @param pid the recording process, to tell a live run from an abandoned one
 * @param host the recording host
 * @param streams per-stream figures (empty while running)
 */
public record RunRecord(String runId, String pipeline, String stateId, Instant startedAt, Optional<Instant> endedAt,
        RunStatus status, Optional<String> error, Optional<Integer> exitCode, Optional<Long> rowsCommitted,
        long bytesRead, Optional<String> stateBefore, Optional<String> stateAfter, long pid, String host,
        List<StreamRecord> streams) {
    public RunRecord {
        requireNonNull(runId, "runId is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(stateId, "stateId is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(endedAt, "endedAt is null");
        requireNonNull(status, "status is null");
        requireNonNull(error, "error is null");
        requireNonNull(exitCode, "exitCode is null");
        requireNonNull(rowsCommitted, "rowsCommitted is null");
        requireNonNull(stateBefore, "stateBefore is null");
        requireNonNull(stateAfter, "stateAfter is null");
        requireNonNull(host, "host is null");
        streams = List.copyOf(streams);
    }

    public Optional<Duration> duration() { return endedAt.map(e -> Duration.between(startedAt, e)); }

    public Optional<StreamRecord> stream(String name) {
        return streams.stream().filter(s -> s.stream().equals(name)).findFirst();
    }

    /** Records handed to the target over all streams. */
    public long rowsRead() { return streams.stream().mapToLong(StreamRecord::rows).sum(); }

    public RunRecord withStatus(RunStatus s) {
        return new RunRecord(runId, pipeline, stateId, startedAt, endedAt, s, error, exitCode, rowsCommitted, bytesRead,
                stateBefore, stateAfter, pid, host, streams);
    }
}
