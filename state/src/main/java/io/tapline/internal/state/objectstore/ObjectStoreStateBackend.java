package io.tapline.internal.state.objectstore;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.protocol.catalog.Glob;
import io.tapline.internal.state.StateMerge;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStoreException;
import io.tapline.spi.StateWriteMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A state backend on an object store, in Meltano's layout: {@code <prefix>/<state_id>/state.json} holds
 * {@code {"completed": {"singer_state": ...}, "partial": {...}}}, so Meltano and tapline read each other's state
 * through the same bucket. Each state object is written whole in one request, so no reader ever sees a torn one.
 *
 * <p>The run lock is a lease object {@code <prefix>/<state_id>/tapline.lease} taken and renewed with the store's
 * compare-and-swap writes (see {@link HeldLease}); Meltano ignores it, so it never blocks Meltano. Meltano's own
 * {@code <prefix>/<state_id>/lock} object is honoured: while it is younger than Meltano's
 * {@code lock_timeout_seconds}, tapline waits before taking the lease and before each state write.
 *
 * <p>Thread-safe; owns the store client and one heartbeat thread, both released by {@link #close}.
 */
public final class ObjectStoreStateBackend implements StateBackend {
    static final String STATE_FILE = "state.json";
    static final String MELTANO_LOCK = "lock";
    static final String LEASE_FILE = "tapline.lease";
    private static final String SINGER_STATE = "singer_state";
    private static final int CAS_ATTEMPTS = 8;
    private static final Logger log = LoggerFactory.getLogger(ObjectStoreStateBackend.class);

    private final ObjectStore store;
    private final String prefix;
    private final StateBackendConfig.Lease timings;
    private final LockSettings meltanoLock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, HeldLease> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats;

    /**
     * @param store the store, owned by this backend from now on
     * @param prefix the key prefix (Meltano's URI path), with or without slashes; empty for the bucket root
     */
    public ObjectStoreStateBackend(ObjectStore store, String prefix, StateBackendConfig.Lease timings,
            LockSettings meltanoLock) {
        this.store = requireNonNull(store, "store is null");
        this.prefix = strip(requireNonNull(prefix, "prefix is null"));
        this.timings = requireNonNull(timings, "timings is null");
        this.meltanoLock = requireNonNull(meltanoLock, "meltanoLock is null");
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tapline-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String describe() { return store.describe(); }

    /** The object key of {@code file} for {@code stateId}, as Meltano builds it. */
    public String key(String stateId, String file) {
        checkStateId(stateId);
        return (prefix.isEmpty() ? "" : prefix + "/") + stateId + "/" + file;
    }

    @Override
    public Optional<StateBlob> read(String stateId) {
        Optional<ObjectNode> doc = load(key(stateId, STATE_FILE)).map(Loaded::doc);
        if (doc.isEmpty()) {
            return Optional.empty();
        }
        JsonNode completed = doc.get().path("completed");
        JsonNode partial = doc.get().path("partial");
        JsonNode merged = StateMerge.merge(partial.isObject() ? partial : mapper.createObjectNode(),
                completed.isObject() ? completed : mapper.createObjectNode());
        JsonNode singer = merged.get(SINGER_STATE);
        return singer == null || singer.isNull() ? Optional.empty() : Optional.of(new StateBlob(singer.toString()));
    }

    @Override
    public void save(String stateId, StateBlob state, StateWriteMode mode) {
        String key = key(stateId, STATE_FILE);
        JsonNode value = parse(state);
        HeldLease lease = held.get(stateId);
        if (lease != null) {
            lease.ensureHeld();
        }
        awaitMeltanoLock(stateId);
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Optional<String> expected;
            ObjectNode doc;
            if (mode == StateWriteMode.COMPLETE) {
                expected = lease == null ? Optional.empty() : lease.stateVersion();
                doc = document(Optional.empty(), value, mode);
            } else {
                Optional<Loaded> old = load(key);
                expected = old.map(Loaded::version);
                if (lease != null && !expected.equals(lease.stateVersion())) {
                    throw lease.lostError();
                }
                doc = document(old.map(Loaded::doc), value, mode);
            }
            byte[] bytes = bytes(doc);
            Optional<String> written;
            if (lease == null && mode == StateWriteMode.COMPLETE) {
                written = Optional.of(store.put(key, bytes));
            } else {
                written = expected.isPresent() ? store.replace(key, bytes, expected.get()) : store.create(key, bytes);
            }
            if (written.isPresent()) {
                if (lease != null) {
                    lease.stateVersion(written);
                }
                log.debug("State id {}: saved {} state to {}", stateId, mode, store.describe());
                return;
            }
            if (lease != null) {
                throw lease.lostError(); // someone else wrote this state while we held the lease
            }
        }
        throw new StateStoreException(ErrorCode.STATE_STORE_FAILED, "could not save state '" + stateId + "' at "
                + store.describe() + ": it kept changing under " + CAS_ATTEMPTS + " attempts");
    }

    @Override
    public void clear(String stateId) {
        String key = key(stateId, STATE_FILE);
        awaitMeltanoLock(stateId);
        store.delete(key);
        HeldLease lease = held.get(stateId);
        if (lease != null) {
            lease.stateVersion(Optional.empty());
        }
    }

    @Override
    public List<String> stateIds(Optional<String> glob) {
        Predicate<String> matches = glob.map(g -> Glob.compile(g).asMatchPredicate()).orElse(id -> true);
        String base = prefix.isEmpty() ? "" : prefix + "/";
        return store.keys(base).stream()
                .filter(k -> k.startsWith(base) && k.endsWith("/" + STATE_FILE))
                .map(k -> k.substring(base.length(), k.length() - STATE_FILE.length() - 1))
                .filter(id -> !id.isEmpty() && !id.contains("/"))
                .filter(matches).distinct().sorted().toList();
    }

    /**
     * Takes the run lease of {@code stateId}: creates the lease object, or takes over one that was released or
     * whose holder stopped renewing it a TTL ago (by the store's clock), by compare-and-swap, so of many runs
     * racing exactly one wins. Waits first while Meltano's {@code lock} object is fresh.
     *
     * @throws StateStoreException {@code STATE_LOCKED} if a live run holds it
     */
    @Override
    public StateLock lock(String stateId) {
        String key = key(stateId, LEASE_FILE);
        if (held.containsKey(stateId)) {
            throw locked(stateId, "this process");
        }
        awaitMeltanoLock(stateId);
        LeaseRecord mine = LeaseRecord.forThisProcess(timings.ttl());
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            long start = System.nanoTime();
            Optional<StoredObject> current = store.get(key);
            Optional<String> version;
            if (current.isEmpty()) {
                version = store.create(key, mine.toJson());
            } else {
                LeaseRecord other = LeaseRecord.parse(current.get().bytes(), timings.ttl());
                if (other.isLive(current.get().age())) {
                    throw locked(stateId, other.host() + " (pid " + other.pid() + ") since " + other.started());
                }
                version = store.replace(key, mine.toJson(), current.get().version());
                if (version.isPresent() && !other.released()) {
                    log.warn("State id {}: took over the run lease of {} (pid {}), which stopped renewing it",
                            stateId, other.host(), other.pid());
                }
            }
            if (version.isPresent()) {
                Optional<String> stateVersion = load(key(stateId, STATE_FILE)).map(Loaded::version);
                HeldLease lease = new HeldLease(store, stateId, key, mine, version.get(), start, stateVersion, timings,
                        heartbeats, l -> held.remove(l.stateId(), l));
                held.put(stateId, lease);
                return lease;
            }
        }
        throw locked(stateId, "another run that took it at the same moment");
    }

    private StateStoreException locked(String stateId, String holder) {
        return new StateStoreException(ErrorCode.STATE_LOCKED, "Another '" + stateId + "' pipeline is already running: "
                + "the run lease at " + store.describe() + " is held by " + holder
                + ". To ignore this check use the '--force' option.");
    }

    /**
     * Waits while Meltano's {@code lock} object for {@code stateId} is fresh, polling every
     * {@code lock_retry_seconds}, for at most {@code lock_timeout_seconds}: after that Meltano deems it stale too.
     */
    private void awaitMeltanoLock(String stateId) {
        String key = key(stateId, MELTANO_LOCK);
        long deadline = System.nanoTime() + meltanoLock.timeout().toNanos();
        while (true) {
            Optional<StoredObject> lock = store.get(key);
            if (lock.isEmpty() || meltanoLockAge(lock.get()).compareTo(meltanoLock.timeout()) >= 0) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            log.info("State id {}: Meltano holds its lock; retrying in {} ms", stateId, meltanoLock.retry().toMillis());
            try {
                Thread.sleep(Math.min(meltanoLock.retry().toMillis(), Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateStoreException(ErrorCode.STATE_STORE_FAILED, "interrupted while waiting for Meltano's "
                        + "lock on state id '" + stateId + "'");
            }
        }
    }

    /** Meltano writes the epoch seconds it locked at; it compares them with its own clock, and so do we. */
    private static Duration meltanoLockAge(StoredObject lock) {
        try {
            double epoch = Double.parseDouble(new String(lock.bytes(), StandardCharsets.UTF_8).trim());
            return Duration.between(Instant.ofEpochMilli(Math.round(epoch * 1000)), Instant.now());
        } catch (NumberFormatException e) {
            return lock.age();
        }
    }

    private record Loaded(ObjectNode doc, String version) {}

    private Optional<Loaded> load(String key) {
        Optional<StoredObject> obj = store.get(key);
        if (obj.isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode node = mapper.readTree(obj.get().bytes());
            if (!(node instanceof ObjectNode doc)) {
                throw new StateStoreException("state object " + key + " at " + store.describe()
                        + " does not hold a JSON object");
            }
            return Optional.of(new Loaded(doc, obj.get().version()));
        } catch (IOException e) {
            throw new StateStoreException("state object " + key + " at " + store.describe() + " is not valid JSON", e);
        }
    }

    private ObjectNode document(Optional<ObjectNode> old, JsonNode value, StateWriteMode mode) {
        ObjectNode wrapped = mapper.createObjectNode();
        wrapped.set(SINGER_STATE, value);
        ObjectNode doc = mapper.createObjectNode();
        if (mode == StateWriteMode.COMPLETE) {
            doc.set("completed", wrapped);
            doc.set("partial", mapper.createObjectNode());
        } else {
            JsonNode oldCompleted = old.map(o -> o.path("completed")).orElse(mapper.createObjectNode());
            JsonNode oldPartial = old.map(o -> o.path("partial")).orElse(mapper.createObjectNode());
            doc.set("completed", oldCompleted.isObject() ? oldCompleted : mapper.createObjectNode());
            doc.set("partial", StateMerge.merge(wrapped, oldPartial.isObject() ? oldPartial : mapper.createObjectNode()));
        }
        return doc;
    }

    private byte[] bytes(JsonNode doc) {
        try {
            return mapper.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new StateStoreException("could not serialise state", e);
        }
    }

    private JsonNode parse(StateBlob state) {
        try {
            return mapper.readTree(state.json());
        } catch (IOException e) {
            throw new StateStoreException("state to save is not valid JSON", e);
        }
    }

    private static void checkStateId(String stateId) {
        if (stateId.isEmpty() || stateId.contains("/") || stateId.contains("\\") || stateId.equals(".")
                || stateId.equals("..") || stateId.indexOf('\0') >= 0) {
            throw new ConfigException("state id '" + stateId + "' cannot be used in an object key");
        }
    }

    private static String strip(String p) {
        String s = p;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Releases every lease still held (so the next run need not wait for the TTL), the heartbeat thread and the client. */
    @Override
    public void close() {
        for (HeldLease lease : List.copyOf(held.values())) {
            lease.close();
        }
        heartbeats.shutdownNow();
        store.close();
    }
}
