package io.tapline.internal.state.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.spi.ConfigException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateStoreException;
import io.tapline.internal.protocol.catalog.Glob;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateWriteMode;
import io.tapline.internal.state.StateMerge;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State kept on the local filesystem in Meltano's {@code file://} layout: {@code <root>/<state_id>/state.json}
 * holding {@code {"completed": {"singer_state": ...}, "partial": {...}}}, so Meltano and tapline can
 * read each other's state. Every save writes a temporary file, fsyncs it and renames it over the old
 * one, so a crash leaves either the old or the new state. As a {@link StateBackend} it owns nothing between calls:
 * {@link #close} has nothing to release (each lock owns its heartbeat thread until the lock is closed).
 */
public final class FileStateStore implements StateBackend {
    private static final String SINGER_STATE = "singer_state";

    private static final Logger log = LoggerFactory.getLogger(FileStateStore.class);

    private final Path root;
    private final Duration heartbeatInterval;
    private final Duration leaseTtl;
    private final ObjectMapper mapper = new ObjectMapper();

    private FileStateStore(Path root, Duration heartbeatInterval, Duration leaseTtl) {
        this.root = root;
        this.heartbeatInterval = heartbeatInterval;
        this.leaseTtl = leaseTtl;
    }

    /** A store under {@code root}; the folder is created on first save. Run lock leases: 10 s heartbeat, 60 s TTL. */
    public static FileStateStore at(Path root) {
        return new FileStateStore(root.toAbsolutePath().normalize(), Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /**
     * The same store with another run lock lease: the holder renews it every {@code heartbeatInterval};
     * a holder on another host counts as dead once its last renewal is {@code ttl} old.
     */
    public FileStateStore withLease(Duration heartbeatInterval, Duration ttl) {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || ttl.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the lease TTL must be at least two heartbeat intervals");
        }
        return new FileStateStore(root, heartbeatInterval, ttl);
    }

    public Path root() { return root; }

    @Override
    public String describe() {
        return root.toUri().toString();
    }

    /** Nothing to release: files are opened per call and every lock owns its own heartbeat. Idempotent. */
    @Override
    public void close() {
        // no resources held between calls
    }

    @Override
    public synchronized Optional<StateBlob> read(String stateId) {
        Optional<ObjectNode> stored = load(stateId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        JsonNode completed = stored.get().path("completed");
        JsonNode partial = stored.get().path("partial");
        JsonNode merged = StateMerge.merge(partial.isObject() ? partial : mapper.createObjectNode(),
                completed.isObject() ? completed : mapper.createObjectNode());
        JsonNode singer = merged.get(SINGER_STATE);
        return singer == null || singer.isNull() ? Optional.empty() : Optional.of(new StateBlob(singer.toString()));
    }

    @Override
    public synchronized void save(String stateId, StateBlob state, StateWriteMode mode) {
        JsonNode value = parse(state);
        ObjectNode doc = mapper.createObjectNode();
        ObjectNode wrapped = mapper.createObjectNode();
        wrapped.set(SINGER_STATE, value);
        if (mode == StateWriteMode.COMPLETE) {
            doc.set("completed", wrapped);
            doc.set("partial", mapper.createObjectNode());
        } else {
            ObjectNode old = load(stateId).orElseGet(mapper::createObjectNode);
            JsonNode oldCompleted = old.path("completed");
            JsonNode oldPartial = old.path("partial");
            doc.set("completed", oldCompleted.isObject() ? oldCompleted : mapper.createObjectNode());
            doc.set("partial", StateMerge.merge(wrapped, oldPartial.isObject() ? oldPartial : mapper.createObjectNode()));
        }
        writeAtomically(stateFile(stateId), doc);
    }

    /**
     * The state ids that hold a state file, sorted; with {@code glob}, only those it matches as a whole
     * (Python's {@code fnmatch}, as {@code meltano state list --pattern}).
     */
    @Override
    public synchronized List<String> stateIds(Optional<String> glob) {
        Predicate<String> matches = glob.map(g -> Glob.compile(g).asMatchPredicate()).orElse(id -> true);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("state.json")))
                    .map(d -> d.getFileName().toString()).filter(matches).sorted().toList();
        } catch (IOException e) {
            throw new StateStoreException("could not list the state ids under " + root, e);
        }
    }

    @Override
    public synchronized void clear(String stateId) {
        Path file = stateFile(stateId);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StateStoreException("could not clear state '" + stateId + "' under " + root, e);
        }
    }

    /**
     * The run lock of {@code stateId}: an OS file lock on {@code <root>/<state_id>/run.lock}, released when
     * the holder exits however it exits, plus a lease in the file that the holder renews every
     * heartbeat interval (see {@link RunLease}). The lease refuses a run while a holder elsewhere is
     * alive even where the OS lock does not reach (NFS without lockd, a folder shared across hosts),
     * and lets a dead holder's lock expire: at once when it ran on this host, else once its last
     * heartbeat is older than the TTL. On filesystems without locking two runs starting in the same
     * instant can still both win; the lease narrows that to the time of one file write.
     */
    @Override
    public StateLock lock(String stateId) {
        Path file = stateFile(stateId).resolveSibling("run.lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(ch);
            Optional<RunLease> existing = RunLease.parse(Files.readAllBytes(file));
            Instant now = Instant.now();
            if (lock == null || existing.isPresent() && existing.get().isLive(now, leaseTtl)) {
                if (lock != null) {
                    lock.release();
                }
                ch.close();
                String since = existing.map(l -> l.started().toString()).orElse("");
                throw new StateStoreException(ErrorCode.STATE_LOCKED, "Another '" + stateId + "' pipeline is already "
                        + "running" + (since.isEmpty() ? "" : " which started at " + since)
                        + ". To ignore this check use the '--force' option.");
            }
            existing.ifPresent(l -> log.warn("State id {}: taking over the run lock of {} (pid {}), which is no longer "
                    + "alive; its last heartbeat was at {}", stateId, l.host(), l.pid(), l.heartbeat()));
            return new HeldLock(file, ch, lock, RunLease.forThisProcess(now), heartbeatInterval);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StateStoreException("could not lock state '" + stateId + "' at " + file, e);
        }
    }

    /** The lock and its lease, renewed by a daemon thread until closed; closing empties the file. */
    private static final class HeldLock implements StateLock {
        private final Path file;
        private final FileChannel ch;
        private final FileLock lock;
        private final ScheduledExecutorService heartbeat;
        private RunLease lease;
        private boolean released;

        HeldLock(Path file, FileChannel ch, FileLock lock, RunLease lease, Duration interval) throws IOException {
            this.file = file;
            this.ch = ch;
            this.lock = lock;
            this.lease = lease;
            write(lease.toJson());
            this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tapline-lock-heartbeat");
                t.setDaemon(true);
                return t;
            });
            heartbeat.scheduleAtFixedRate(this::beat, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        }

        private synchronized void beat() {
            if (released) {
                return;
            }
            lease = lease.beat(Instant.now());
            try {
                write(lease.toJson());
            } catch (IOException e) {
                log.warn("Could not renew the run lock lease at {}: {}", file, e.getMessage());
            }
        }

        private void write(byte[] bytes) throws IOException {
            ch.truncate(0);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            for (long pos = 0; buf.hasRemaining(); ) {
                pos += ch.write(buf, pos);
            }
            ch.force(false);
        }

        @Override
        public synchronized void close() {
            if (released) {
                return;
            }
            released = true;
            heartbeat.shutdownNow();
            try {
                ch.truncate(0); // a released lease
                lock.release();
                ch.close();
            } catch (IOException e) {
                closeQuietly(ch); // closing the channel releases the lock anyway
            }
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    private Optional<ObjectNode> load(String stateId) {
        Path file = stateFile(stateId);
        try {
            JsonNode node = mapper.readTree(Files.readAllBytes(file));
            if (!(node instanceof ObjectNode obj)) {
                throw new StateStoreException("state file " + file + " does not hold a JSON object");
            }
            return Optional.of(obj);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException("could not read state file " + file, e);
        }
    }

    private JsonNode parse(StateBlob state) {
        try {
            return mapper.readTree(state.json());
        } catch (IOException e) {
            throw new StateStoreException("state to save is not valid JSON", e);
        }
    }

    Path stateFile(String stateId) {
        if (stateId.isEmpty() || stateId.contains("/") || stateId.contains("\\") || stateId.equals(".")
                || stateId.equals("..") || stateId.indexOf('\0') >= 0) {
            throw new ConfigException("state id '" + stateId + "' cannot be used as a folder name");
        }
        return root.resolve(stateId).resolve("state.json");
    }

    private void writeAtomically(Path file, JsonNode doc) {
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".state-", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = ByteBuffer.wrap(mapper.writeValueAsBytes(doc));
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                fsyncDirectory(dir);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new StateStoreException("could not write state file " + file, e);
        }
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some filesystems refuse to open directories; the rename is still atomic there
        }
    }
}
