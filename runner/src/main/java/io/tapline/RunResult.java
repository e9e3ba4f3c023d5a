package io.tapline;

import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a finished run did. Immutable; returned by {@link Pipeline#run()} and {@link RunHandle#await()}.
 *
 * @param stateId the state id the run read from and committed to
 * @param rowsWritten records loaded and committed
 * @param rowsPerStream committed records per stream
 * @param bytesRead bytes read from the tap's stdout
 * @param finalState the last committed state, if the tap emitted one
 * @param duration wall time of the run
 */
public record RunResult(String stateId, long rowsWritten, Map<StreamName, Long> rowsPerStream, long bytesRead,
        Optional<StateBlob> finalState, Duration duration) {
    public RunResult {
        rowsPerStream = Map.copyOf(rowsPerStream);
    }
}
