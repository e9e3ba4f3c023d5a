package io.tapline;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ConfigException;
import io.tapline.internal.runner.pipeline.Destination;
import io.tapline.internal.runner.pipeline.Retrying;
import io.tapline.internal.runner.pipeline.RunLoop;
import io.tapline.internal.runner.process.CancelToken;
import io.tapline.internal.runner.process.SshPortForward;
import io.tapline.internal.runner.pipeline.RunLifecycle;
import io.tapline.internal.runner.process.Secrets;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tap wired to a target and a state store: tapline's whole embedding API.
 *
 * <p>Example, snippet: run-a-tap-into-duckdb (compiled and run as {@code io.tapline.examples.EmbeddingExamples} in the
 * runner's tests):
 * <pre>{@code
 * Pipeline pipeline = Pipeline.builder()
 *         .tap(Tap.singer("tap-jsonl").command(tapExecutable).config(config).build())
 *         .target(Targets.duckDb(dir.resolve("warehouse.duckdb"), "raw"))
 *         .stateStore(StateStores.file(dir.resolve(".tapline/state")))
 *         .stateId("app:tap-jsonl")
 *         .listener(RunListener.logging())
 *         .build();                    // validates now: a ConfigException names what is wrong
 * RunResult result = pipeline.run();   // blocks; every process, connection and Arrow buffer is closed on return
 * }</pre>
 *
 * <p>Mappers ({@link Builder#mapper}) run as processes between the tap and the target; an external
 * Singer target ({@link Builder#singerTarget}) runs as the last process of that chain and the
 * states it writes to stdout are saved as they arrive.
 *
 * <p>An Airbyte source goes in the same way (snippet: airbyte-source):
 * <pre>{@code
 * Tap source = Tap.airbyte("source-faker").command(venv.resolve("bin/source-faker")).config(config).build();
 * }</pre>
 * Into mappers and an external Singer target its records, schemas (from the configured catalog) and states are
 * passed as Singer messages.
 *
 * <p>Immutable and reusable: every {@link #run()} starts the tap afresh from the last committed state.
 * A run commits state only after the target made every record before it durable.
 *
 * <p>Threading and ownership: a {@code Pipeline} is safe to share between threads. Each run happens on
 * one thread (the caller's for {@link #run()}, one of the caller's executor for {@link #start}); it
 * creates its own Arrow allocator, asks the {@link TargetFactory} for a fresh target, and closes the
 * target, the tap process (or SSH session) and every Arrow buffer before it returns or throws. The
 * {@link StateStore} and {@link RunListener} are the caller's: the run uses them but never closes them.
 * Two runs of the same state id at once are refused by the state store's lock unless forced.
 */
public final class Pipeline {
    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final Tap tap;
    private final TargetFactory target;
    private final List<SingerPlugin> mappers;
    private final Optional<SingerPlugin> singerTarget;
    private final StateStore stateStore;
    private final String stateId;
    private final String name;
    private final RunListener listener;
    private final PipelineOptions options;

    private Pipeline(Builder b) {
        this.tap = b.tap;
        this.target = b.target;
        this.mappers = List.copyOf(b.mappers);
        this.singerTarget = b.singerTarget;
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
        b.mappers.addAll(mappers);
        b.singerTarget = singerTarget;
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
     * <p>With {@link PipelineOptions#retry()} enabled, a failed tap is run again from the last committed
     * state after a backoff, up to the policy's attempts; the last failure is thrown.
     *
     * @throws io.tapline.spi.TaplineException naming what failed; state committed before the
     *     failure stays committed
     */
    public RunResult run() {
        return run(new CancelToken());
    }

    /**
     * Starts a run on {@code executor} and returns at once. The caller owns the executor (tapline starts
     * no thread of its own for the run); the run occupies one of its threads until it ends. Closing the
     * handle cancels the run and waits for it to release everything.
     */
    public RunHandle start(Executor executor) {
        return RunHandle.start(this, executor);
    }

    RunResult run(CancelToken cancel) {
        try {
            return RunLifecycle.run(name, stateId, stateStore, listener, Secrets.of(tap.secrets()),
                    () -> Retrying.run(tap.name(), options.retry(), cancel, () -> runOnce(cancel)));
        } catch (RuntimeException e) {
            try {
                listener.runFailed(e);
            } catch (RuntimeException listenerFailure) {
                log.warn("RunListener.runFailed threw; ignored", listenerFailure);
            }
            throw e;
        }
    }

    private RunResult runOnce(CancelToken cancel) {
        {
            if (tap.tunnel().isEmpty()) {
                return run(tap, cancel);
            }
            SshTunnel tunnel = tap.tunnel().get();
            try (SshPortForward forward = SshPortForward.open(tunnel, "tap '" + tap.name() + "'")) {
                return run(tap.toBuilder().config(tunnel.pointConfigAt(tap.config(), forward.localPort())).build(),
                        cancel);
            }
        }
    }

    private RunResult run(Tap tap, CancelToken cancel) {
        Destination destination = singerTarget.<Destination>map(Destination.SingerTarget::new)
                .orElseGet(() -> new Destination.Tapline(target));
        return new RunLoop(tap, mappers, destination, stateStore, stateId, listener, options, cancel).run();
    }

    /** Collects a pipeline's parts; not thread-safe, use it on one thread and {@link #build()} once. */
    public static final class Builder {
        private Tap tap;
        private TargetFactory target;
        private final List<SingerPlugin> mappers = new ArrayList<>();
        private Optional<SingerPlugin> singerTarget = Optional.empty();
        private StateStore stateStore;
        private Optional<String> stateId = Optional.empty();
        private Optional<String> name = Optional.empty();
        private RunListener listener = RunListener.noop();
        private PipelineOptions options = PipelineOptions.defaults();

        private Builder() {}

        public Builder tap(Tap tap) { this.tap = requireNonNull(tap, "tap is null"); return this; }

        public Builder target(TargetFactory target) { this.target = requireNonNull(target, "target is null"); return this; }

        /** A Singer mapper process between the tap and the target; mappers run in the order added. */
        public Builder mapper(SingerPlugin mapper) { mappers.add(requireNonNull(mapper, "mapper is null")); return this; }

        /** An external Singer target process instead of one of tapline's own targets. */
        public Builder singerTarget(SingerPlugin target) {
            this.singerTarget = Optional.of(requireNonNull(target, "target is null"));
            return this;
        }

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
            if (target == null && singerTarget.isEmpty()) {
                throw new ConfigException("pipeline has no target");
            }
            if (target != null && singerTarget.isPresent()) {
                throw new ConfigException("pipeline has both a tapline target and an external Singer target");
            }
            if (tap.protocol() == Tap.Protocol.AIRBYTE && singerTarget.isEmpty() && !mappers.isEmpty()) {
                throw new ConfigException("Airbyte source '" + tap.name() + "' can run through Singer mappers only "
                        + "into an external Singer target");
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
