package io.tapline.state.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.protocol.ConfigException;
import io.tapline.protocol.StateBlob;
import io.tapline.protocol.StateStoreException;
import io.tapline.protocol.catalog.Glob;
import io.tapline.protocol.ErrorCode;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import io.tapline.state.StateMerge;
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
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * State kept on the local filesystem in Meltano's {@code file://} layout: {@code <root>/<state_id>/state.json}
 * holding {@code {"completed": {"singer_state": ...}, "partial": {...}}}, so Meltano and tapline can
 * read each other's state. Every save writes a temporary file, fsyncs it and renames it over the old
 * one, so a crash leaves either the old or the new state.
 */
public final class FileStateStore implements StateStore {
    private static final String SINGER_STATE = "singer_state";

    private final Path root;
    private final ObjectMapper mapper = new ObjectMapper();

    private FileStateStore(Path root) {
        this.root = root;
    }

    /** A store under {@code root}; the folder is created on first save. */
    public static FileStateStore at(Path root) {
        return new FileStateStore(root.toAbsolutePath().normalize());
    }

    public Path root() { return root; }

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
     * An OS file lock on {@code <root>/<state_id>/run.lock}: released when the holder exits, however it
     * exits, so a crashed run never blocks the next one. The file records when the holder started.
     */
    @Override
    public StateLock lock(String stateId) {
        Path file = stateFile(stateId).resolveSibling("run.lock");
        FileChannel ch = null;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(ch);
            if (lock == null) {
                String since = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8).trim();
                ch.close();
                throw new StateStoreException(ErrorCode.STATE_LOCKED, "Another '" + stateId + "' pipeline is already "
                        + "running" + (since.isEmpty() ? "" : " which started at " + since)
                        + ". To ignore this check use the '--force' option.");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(java.time.Instant.now().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            FileChannel held = ch;
            return new StateLock() {
                private boolean released;

                @Override
                public synchronized void close() {
                    if (released) {
                        return;
                    }
                    released = true;
                    try {
                        lock.release();
                        held.close();
                    } catch (IOException e) {
                        // closing the channel releases the lock anyway
                    }
                }
            };
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StateStoreException("could not lock state '" + stateId + "' at " + file, e);
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
