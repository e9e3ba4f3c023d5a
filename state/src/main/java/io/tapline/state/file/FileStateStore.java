package io.tapline.state.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.protocol.ConfigException;
import io.tapline.protocol.StateBlob;
import io.tapline.protocol.StateStoreException;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import io.tapline.state.StateMerge;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

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

    @Override
    public synchronized void clear(String stateId) {
        Path file = stateFile(stateId);
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            throw new StateStoreException("could not clear state '" + stateId + "' under " + root, e);
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
