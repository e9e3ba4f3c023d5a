package io.tapline.internal.runner.pipeline;

import io.tapline.PipelineOptions;
import io.tapline.RunResult;
import io.tapline.SingerPlugin;
import io.tapline.Tap;
import io.tapline.internal.runner.process.CancelToken;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.LaunchSpec;
import io.tapline.internal.runner.process.Launcher;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.internal.runner.process.ShutdownGuard;
import io.tapline.spi.ConfigException;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStore;
import io.tapline.spi.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a run, the same skeleton for every source and destination: read the stored state, take the state
 * id's lock, prepare the {@link Source} (Singer tap or Airbyte source), open the {@link Sink} (tapline target or
 * external chain), start the source's process under the shutdown guard, the cancel token and the idle watchdog,
 * and put its messages, validated, into the sink. On success the sink finishes (flush, last state); on any failure
 * (the source crashed, reported an error or broke the protocol, went idle, was cancelled, the destination failed)
 * the sink fails: what came before the last STATE is committed with it, the rest rolled back.
 *
 * <p>Mappers go where the records go: between the tap and tapline (piped by the operating system) before a tapline
 * target; between tapline and the target, in the target's chain, before an external target.
 */
public final class RunLoop {
    private static final Logger log = LoggerFactory.getLogger(RunLoop.class);

    private final Tap tap;
    private final List<SingerPlugin> mappers;
    private final Destination destination;
    private final StateStore stateStore;
    private final String stateId;
    private final RunListener listener;
    private final PipelineOptions options;
    private final CancelToken cancel;

    public RunLoop(Tap tap, List<SingerPlugin> mappers, Destination destination, StateStore stateStore, String stateId,
            RunListener listener, PipelineOptions options, CancelToken cancel) {
        if (tap.protocol() == Tap.Protocol.AIRBYTE && !mappers.isEmpty() && destination instanceof Destination.Tapline) {
            throw new ConfigException("Airbyte source '" + tap.name() + "' can run through mappers only into an "
                    + "external Singer target");
        }
        this.tap = tap;
        this.mappers = List.copyOf(mappers);
        this.destination = destination;
        this.stateStore = stateStore;
        this.stateId = stateId;
        this.listener = listener;
        this.options = options;
        this.cancel = cancel;
    }

    /** Blocks until the source's process and every destination process have ended. */
    public RunResult run() {
        long start = System.nanoTime();
        Source source = switch (tap.protocol()) {
            case SINGER -> new SingerSource(tap, destination instanceof Destination.Tapline ? mappers : List.of(),
                    options);
            case AIRBYTE -> new AirbyteSource(tap, options);
        };
        Optional<StateBlob> stored = stateStore.read(stateId);
        log.info("Running {} -> {} (state id {}): {}", tap.name(), describeDestination(), stateId,
                stored.isPresent() && !options.fullRefresh() ? "resuming from stored state"
                        : options.fullRefresh() ? "full refresh" : "no stored state, starting from scratch");
        try (ShutdownGuard guard = new ShutdownGuard(tap.name(), cancel);
             StateLock lock = options.force() ? StateLock.none() : stateStore.lock(stateId);
             RootAllocator root = new RootAllocator();
             PrivateFiles files = PrivateFiles.create("tapline-" + tap.name() + "-")) {
            source.prepare(stored, files);
            try (Sink sink = openSink(source, root, files)) {
                SinkInput in = new SinkInput(sink, options.validation());
                try {
                    source.schemas().forEach(schema -> in.schema(schema, 0));
                    try (RunningPlugin process = source.start(files, listener)) {
                        guard.watch(process);
                        sink.sourceStarted(process);
                        int exitCode = PluginOutput.readToEnd(process, options.idleTimeout(),
                                stdout -> source.parse(stdout, in));
                        source.checkExit(process, exitCode);
                    }
                    sink.finish();
                } catch (RuntimeException | Error e) {
                    sink.fail();
                    if (sink.failureCause().isPresent() && e instanceof RuntimeException) {
                        RuntimeException cause = sink.failureCause().get();
                        cause.addSuppressed(e);
                        throw cause;
                    }
                    throw e;
                }
                RunResult result = new RunResult(stateId, sink.rowsCommitted(), sink.committedPerStream(),
                        source.bytesRead(), sink.committedState(), Duration.ofNanos(System.nanoTime() - start));
                log.info("{} finished: {} rows in {} ms", tap.name(), result.rowsWritten(),
                        result.duration().toMillis());
                return result;
            }
        }
    }

    private Sink openSink(Source source, RootAllocator root, PrivateFiles files) {
        if (destination instanceof Destination.Tapline t) {
            Target target = t.factory().create(root);
            try {
                return new TargetSession(target, root, stateStore, stateId, listener, options, source.writeMode(),
                        source.alreadyCommitted());
            } catch (RuntimeException e) {
                target.close();
                throw e;
            }
        }
        SingerPlugin target = ((Destination.SingerTarget) destination).target();
        List<SingerPlugin> chain = new ArrayList<>(mappers);
        chain.add(target);
        List<LaunchSpec> stages = new ArrayList<>(ChainStages.of(chain, files));
        stages.set(0, stages.get(0).withStdin(LaunchSpec.Stdin.PIPE)); // the loop writes the first stage's input
        return new ChainSink(Launcher.forThisProcess().startChain(stages), target.name(), stateStore, stateId,
                source.writeMode(), source.alreadyCommitted(), listener, options);
    }

    private String describeDestination() {
        List<String> names = new ArrayList<>(mappers.stream().map(SingerPlugin::name).toList());
        names.add(destination instanceof Destination.SingerTarget s ? s.target().name() : "tapline target");
        return String.join(" -> ", names);
    }
}
