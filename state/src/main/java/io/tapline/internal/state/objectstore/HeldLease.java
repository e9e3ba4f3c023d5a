package io.tapline.internal.state.objectstore;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStoreException;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run lease this process holds: renewed every heartbeat by a compare-and-swap on the lease object's version,
 * so a renewal fails once another run took the lease over. Lost for good when a renewal finds another holder or
 * when no renewal succeeded for a whole TTL (the holder was paused or cut off); then every state write under it
 * fails with {@code STATE_LEASE_LOST}.
 *
 * <p>Also remembers the version of the state object this run last saw or wrote, so a state write is itself a
 * compare-and-swap: a run that lost its lease can never overwrite a newer state, even between a renewal and
 * its write.
 */
final class HeldLease implements StateLock {
    private static final Logger log = LoggerFactory.getLogger(HeldLease.class);

    private final ObjectStore store;
    private final String stateId;
    private final String key;
    private final LeaseRecord lease;
    private final StateBackendConfig.Lease timings;
    private final Consumer<HeldLease> onClose;
    private final ScheduledFuture<?> heartbeat;
    private String version;
    private long lastRenewedNanos;
    private boolean lost;
    private boolean closed;
    private Optional<String> stateVersion;

    HeldLease(ObjectStore store, String stateId, String key, LeaseRecord lease, String version, long acquiredNanos,
            Optional<String> stateVersion, StateBackendConfig.Lease timings, ScheduledExecutorService scheduler,
            Consumer<HeldLease> onClose) {
        this.store = store;
        this.stateId = stateId;
        this.key = key;
        this.lease = lease;
        this.version = version;
        this.lastRenewedNanos = acquiredNanos;
        this.stateVersion = stateVersion;
        this.timings = timings;
        this.onClose = onClose;
        long every = timings.heartbeat().toNanos();
        this.heartbeat = scheduler.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.NANOSECONDS);
    }

    String stateId() { return stateId; }

    private void beat() {
        try {
            renew();
        } catch (RuntimeException e) {
            log.warn("State id {}: could not renew the run lease: {}", stateId, e.getMessage());
        }
    }

    /** One renewal now; false once the lease is lost. */
    private synchronized boolean renew() {
        if (closed || lost) {
            return !lost && !closed;
        }
        long started = System.nanoTime();
        if (started - lastRenewedNanos >= timings.ttl().toNanos()) {
            markLost("no renewal succeeded within the lease TTL of " + timings.ttl().toSeconds() + " s");
            return false;
        }
        Optional<String> renewed = store.replace(key, lease.toJson(), version);
        if (renewed.isEmpty()) {
            markLost("another run took the lease over");
            return false;
        }
        version = renewed.get();
        lastRenewedNanos = started;
        return true;
    }

    private void markLost(String why) {
        lost = true;
        heartbeat.cancel(false);
        log.warn("State id {}: this run lost its lease ({}); it will not write state", stateId, why);
    }

    /**
     * Proves the lease is held right now (a renewal), before a state write.
     *
     * @throws StateStoreException {@code STATE_LEASE_LOST} if it is not
     */
    synchronized void ensureHeld() {
        boolean held;
        try {
            held = renew();
        } catch (StateStoreException e) {
            if (System.nanoTime() - lastRenewedNanos < timings.ttl().toNanos()) {
                throw e; // the store is unreachable; the lease may still be ours
            }
            held = false;
        }
        if (!held) {
            throw lostError();
        }
    }

    StateStoreException lostError() {
        return new StateStoreException(ErrorCode.STATE_LEASE_LOST, "This run lost its lease on state id '" + stateId
                + "' at " + store.describe() + " (it was paused or cut off past the lease TTL, or another run took it "
                + "over), so it does not overwrite the state a newer run may have saved");
    }

    synchronized Optional<String> stateVersion() { return stateVersion; }

    synchronized void stateVersion(Optional<String> v) { stateVersion = v; }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            heartbeat.cancel(false);
            try {
                // even a lease given up as lost is released when nobody took it over: the compare-and-swap on its
                // version fails harmlessly otherwise
                store.replace(key, lease.asReleased().toJson(), version);
            } catch (RuntimeException e) {
                log.warn("State id {}: could not release the run lease; it expires by itself: {}", stateId,
                        e.getMessage());
            }
        }
        onClose.accept(this);
    }
}
