package io.tapline;

import static java.util.Objects.requireNonNull;

import io.tapline.internal.state.file.FileStateStore;
import io.tapline.spi.StateStore;
import java.nio.file.Path;

/**
 * tapline's own state stores, for {@link Pipeline.Builder#stateStore(StateStore)}, without naming their
 * implementation.
 *
 * <p>A state store is shared: one instance may serve any number of pipelines and concurrent runs, from any thread.
 * It owns no open resource between calls (each read, save and lock opens and closes what it needs), so there is
 * nothing to close; the caller that made it may simply drop it. Example:
 * {@code io.tapline.examples.EmbeddingExamples#runATapIntoDuckDb} (compiled and run by the tests).
 */
public final class StateStores {
    private StateStores() {}

    /**
     * One folder per state id under {@code root} (created on the first save), each state written atomically
     * (temp file, fsync, rename). Two runs of one state id at once are refused through a lock file in that folder,
     * with a heartbeat, so it also works where the folder is shared between hosts. This is what {@code meltano.yml}
     * projects use by default ({@code .tapline/state}).
     */
    public static StateStore file(Path root) {
        requireNonNull(root, "root is null");
        return FileStateStore.at(root);
    }
}
