package io.tapline;

import static java.util.Objects.requireNonNull;

import io.tapline.protocol.ConfigException;
import io.tapline.runner.pipeline.AirbyteRun;
import io.tapline.runner.pipeline.PipelineRun;
import io.tapline.runner.pipeline.RunLifecycle;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateStore;
import java.util.Optional;

/**
 * A tap wired to a target and a state store: tapline's whole embedding API.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *         .tap(Tap.singer("tap-jsonl").command(venv.resolve("bin/tap-jsonl")).config(config).build())
 *         .target(DuckDbTarget.file(Path.of("warehouse.duckdb")).build())
 *         .stateStore(FileStateStore.at(Path.of(".tapline/state")))
 *         .build();
 * RunResult result = pipeline.run();
 * }</pre>
 *
 * <p>An Airbyte source goes in the same way: {@code Tap.airbyte("source-faker").command(venv.resolve("bin/source-faker"))}.
 *
 * <p>Immutable and reusable: every {@link #run()} starts the tap afresh from the last committed state.
 * A run commits state only after the target made every record before it durable.
 */
public final class Pipeline {
    private final Tap tap;
    private final TargetFactory target;
    private final StateStore stateStore;
    private final String stateId;
    private final String name;
    private final RunListener listener;
    private final PipelineOptions options;

    private Pipeline(Builder b) {
        this.tap = b.tap;
        this.target = b.target;
        this.stateStore = b.stateStore;
        this.stateId = b.stateId.orElse(b.tap.name() + "-to-target");
        this.name = b.name.orElse(stateId);
        this.listener = b.listener;
        this.options = b.options;
    }

    public static Builder builder() { return new Builder(); }

    public Tap tap() { return tap; }

    public String stateId() { return stateId; }

    public PipelineOptions options() { return options; }

    /** The name runs are recorded under (run history, alerts, metrics); defaults to the state id. */
    public String name() { return name; }

    /** This pipeline with {@code extra} called after its own listener. */
    public Pipeline withListener(RunListener extra) {
        Builder b = new Builder();
        b.tap = tap;
        b.target = target;
        b.stateStore = stateStore;
        b.stateId = Optional.of(stateId);
        b.name = Optional.of(name);
        b.listener = RunListener.all(java.util.List.of(listener, extra));
        b.options = options;
        return b.build();
    }

    /**
     * Runs the tap to its end on the calling thread. Every process, connection and Arrow buffer is
     * released on return, normal or exceptional.
     *
     * @throws io.tapline.protocol.TaplineException naming what failed; state committed before the
     *     failure stays committed
     */
    public RunResult run() {
        return RunLifecycle.run(name, stateId, stateStore, listener, tap.config(), () -> switch (tap.protocol()) {
            case SINGER -> new PipelineRun(tap, target, stateStore, stateId, listener, options).run();
            case AIRBYTE -> new AirbyteRun(tap, target, stateStore, stateId, listener, options).run();
        });
    }

    public static final class Builder {
        private Tap tap;
        private TargetFactory target;
        private StateStore stateStore;
        private Optional<String> stateId = Optional.empty();
        private Optional<String> name = Optional.empty();
        private RunListener listener = RunListener.noop();
        private PipelineOptions options = PipelineOptions.defaults();

        private Builder() {}

        public Builder tap(Tap tap) { this.tap = requireNonNull(tap, "tap is null"); return this; }

        public Builder target(TargetFactory target) { this.target = requireNonNull(target, "target is null"); return this; }

        public Builder stateStore(StateStore stateStore) {
            this.stateStore = requireNonNull(stateStore, "stateStore is null");
            return this;
        }

        /** Defaults to {@code <tap>-to-target}; the CLI uses Meltano's {@code <env>:<tap>-to-<target>}. */
        public Builder stateId(String stateId) { this.stateId = Optional.of(stateId); return this; }

        /** The name runs are recorded under; defaults to the state id. */
        public Builder name(String name) { this.name = Optional.of(requireNonNull(name, "name is null")); return this; }

        public Builder listener(RunListener listener) { this.listener = requireNonNull(listener, "listener is null"); return this; }

        public Builder options(PipelineOptions options) { this.options = requireNonNull(options, "options is null"); return this; }

        /** Validates now. @throws ConfigException naming the missing part */
        public Pipeline build() {
            if (tap == null) {
                throw new ConfigException("pipeline has no tap");
            }
            if (target == null) {
                throw new ConfigException("pipeline has no target");
            }
            if (stateStore == null) {
                throw new ConfigException("pipeline has no state store");
            }
            stateId.ifPresent(id -> {
                if (id.isBlank()) {
                    throw new ConfigException("state id is blank");
                }
            });
            return new Pipeline(this);
        }
    }
}
