package io.tapline.spi;


import java.util.List;
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
     * The state ids this store holds, sorted; only those matching {@code glob} ({@code *} and {@code ?}) when given.
     * Every backend lists (the {@code state} verbs need it); a store made for one pipeline may refuse.
     *
     * @throws UnsupportedOperationException if this store cannot list
     */
    default List<String> stateIds(Optional<String> glob) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot list state ids");
    }

    /**
     * Takes the run lock for {@code stateId}, so two runs of one pipeline cannot interleave their
     * states. The lock dies with the process that holds it: a store shared across hosts backs it with a
     * lease its holder renews (a heartbeat) and that expires when the holder dies. While a lock is held,
     * {@code save} for its state id must fail with {@code STATE_LEASE_LOST} once the lease was lost, so a
     * run that was paused past its lease never overwrites a newer state.
     *
     * @throws io.tapline.spi.StateStoreException with {@code STATE_LOCKED} if another run holds it
     */
    default StateLock lock(String stateId) {
        return StateLock.none();
    }
}
