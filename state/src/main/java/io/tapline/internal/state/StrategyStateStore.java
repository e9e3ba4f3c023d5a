package io.tapline.internal.state;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.StateBlob;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateStrategy;
import io.tapline.spi.StateWriteMode;
import java.util.List;
import java.util.Optional;

/**
 * A store that writes every state the way a {@link StateStrategy} says, whatever mode the run asks
 * for. The run itself asks for what {@link StateStrategy#AUTO} means (partial on a full refresh,
 * complete otherwise), so {@code AUTO} passes modes through unchanged.
 */
public final class StrategyStateStore implements StateStore {
    private final StateStore delegate;
    private final StateStrategy strategy;

    private StrategyStateStore(StateStore delegate, StateStrategy strategy) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.strategy = requireNonNull(strategy, "strategy is null");
    }

    /** {@code delegate} itself for {@code AUTO}; otherwise a wrapper forcing the strategy's mode. */
    public static StateStore of(StateStore delegate, StateStrategy strategy) {
        return strategy == StateStrategy.AUTO ? delegate : new StrategyStateStore(delegate, strategy);
    }

    @Override
    public Optional<StateBlob> read(String stateId) {
        return delegate.read(stateId);
    }

    @Override
    public void save(String stateId, StateBlob state, StateWriteMode mode) {
        delegate.save(stateId, state, strategy == StateStrategy.MERGE ? StateWriteMode.PARTIAL : StateWriteMode.COMPLETE);
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
