package io.tapline.internal.state;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ConfigException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Meltano's {@code state} extractor extra: the tap starts from a state file the user provides instead
 * of the stored state (a full refresh still starts from nothing, because the run does not read state
 * then). The run's new states are saved to the store as usual.
 */
public final class CustomStateStore implements StateStore {
    private final StateStore delegate;
    private final Path file;

    public CustomStateStore(StateStore delegate, Path file) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.file = requireNonNull(file, "file is null");
    }

    @Override
    public Optional<StateBlob> read(String stateId) {
        try {
            return Optional.of(new StateBlob(new ObjectMapper().readTree(file.toFile()).toString()));
        } catch (IOException e) {
            throw new ConfigException("cannot read the state file " + file + " (the extractor's state extra): "
                    + e.getMessage());
        }
    }

    @Override
    public void save(String stateId, StateBlob state, StateWriteMode mode) {
        delegate.save(stateId, state, mode);
    }

    @Override
    public void clear(String stateId) {
        delegate.clear(stateId);
    }

    @Override
    public List<String> stateIds(Optional<String> glob) {
        return delegate.stateIds(glob);
    }

    @Override
    public StateLock lock(String stateId) {
        return delegate.lock(stateId);
    }
}
