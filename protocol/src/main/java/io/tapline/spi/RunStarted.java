package io.tapline.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A run begins.
 *
 * @param runId unique id of this run (a UUID)
 * @param pipeline the pipeline's name, e.g. {@code tap-jsonl-to-target-duckdb}
 * @param stateId the state id the run reads and commits
 * @param startedAt wall-clock start
 * @param stateBefore the stored state the run starts from
 */
public record RunStarted(String runId, String pipeline, String stateId, Instant startedAt,
        Optional<StateBlob> stateBefore) {
    public RunStarted {
        requireNonNull(runId, "runId is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(stateId, "stateId is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(stateBefore, "stateBefore is null");
    }
}
