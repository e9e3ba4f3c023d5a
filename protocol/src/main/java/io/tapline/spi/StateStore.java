package io.tapline.spi;


import java.util.Optional;

/**
 * Keeps each pipeline's state between runs, keyed by state id (e.g. {@code dev:tap-x-to-target-y}).
 * Implementations must make {@code save} atomic: after a crash, {@code read} returns the old or the
 * new state, never a torn one. Thread-safe.
 */
public interface StateStore {
    /** The state to hand the tap: the partial part deep-merged onto the completed part. */
    Optional<StateBlob> read(String stateId);

    /** Stores {@code state} (a Singer STATE message's value); durable on return. */
    void save(String stateId, StateBlob state, StateWriteMode mode);

    /** Forgets the state. */
    void clear(String stateId);

    /**
     * Takes the run lock for {@code stateId}, so two runs of one pipeline cannot interleave their
     * states. The lock dies with the process that holds it.
     *
     * @throws io.tapline.spi.StateStoreException with {@code STATE_LOCKED} if another run holds it
     */
    default StateLock lock(String stateId) {
        return StateLock.none();
    }
}
