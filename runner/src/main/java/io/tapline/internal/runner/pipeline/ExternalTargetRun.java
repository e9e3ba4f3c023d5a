package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.PipelineOptions;
import io.tapline.RunResult;
import io.tapline.SingerPlugin;
import io.tapline.Tap;
import io.tapline.spi.StateBlob;
import io.tapline.spi.TargetException;
import io.tapline.spi.TaplineException;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.Launcher;
import io.tapline.internal.runner.process.ProcessChain;
import io.tapline.internal.runner.process.ShutdownGuard;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run into an external Singer target, as Meltano runs one: tap -> mappers -> target as
 * processes piped by the operating system ({@link ProcessChain}). The target writes a state to
 * stdout once it has made everything before it durable; each such line is saved as it arrives,
 * so after any failure the stored state is the last one the target confirmed. Lines that are not
 * JSON objects are logged and skipped, as Meltano does.
 */
public final class ExternalTargetRun {
    private static final Logger log = LoggerFactory.getLogger(ExternalTargetRun.class);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Tap tap;
    private final List<SingerPlugin> mappers;
    private final SingerPlugin target;
    private final StateStore stateStore;
    private final String stateId;
    private final RunListener listener;
    private final PipelineOptions options;

    public ExternalTargetRun(Tap tap, List<SingerPlugin> mappers, SingerPlugin target, StateStore stateStore,
            String stateId, RunListener listener, PipelineOptions options) {
        this.tap = tap;
        this.mappers = List.copyOf(mappers);
        this.target = target;
        this.stateStore = stateStore;
        this.stateId = stateId;
        this.listener = listener;
        this.options = options;
    }

    /** Blocks until every process has exited. @throws TaplineException naming the plugin that failed */
    public RunResult run() {
        long start = System.nanoTime();
        Optional<StateBlob> prior = options.fullRefresh() ? Optional.empty() : stateStore.read(stateId);
        // Meltano: a full refresh merges its states into the stored one (INCOMPLETE_STATE), a normal run replaces it
        StateWriteMode mode = options.fullRefresh() ? StateWriteMode.PARTIAL : StateWriteMode.COMPLETE;
        List<SingerPlugin> downstream = new ArrayList<>(mappers);
        downstream.add(target);
        log.info("Running {} -> {} (state id {}): {}", tap.name(),
                String.join(" -> ", downstream.stream().map(SingerPlugin::name).toList()), stateId,
                prior.isPresent() ? "resuming from stored state" : "no stored state, starting from scratch");
        try (ShutdownGuard guard = new ShutdownGuard(tap.name());
             StateLock lock = options.force() ? StateLock.none() : stateStore.lock(stateId);
             PrivateFiles files = PrivateFiles.create("tapline-" + tap.name() + "-");
             ProcessChain chain = Launcher.forThisProcess().startChain(ChainStages.after(
                     PipelineRun.tapSpec(tap, files, prior), downstream, files))) {
            guard.watch(chain);
            Saved saved = readStates(chain, mode, prior);
            int exitCode = chain.waitFor(EXIT_TIMEOUT);
            if (exitCode != 0) {
                throw chain.failure(exitCode);
            }
            // rows and bytes pass between the plugins without tapline: the target counts them
            RunResult result = new RunResult(stateId, 0, Map.of(), 0, saved.last,
                    Duration.ofNanos(System.nanoTime() - start));
            log.info("{} -> {} finished in {} ms; {} state(s) saved", tap.name(), target.name(),
                    result.duration().toMillis(), saved.count);
            return result;
        }
    }

    /** Saves every state line of the target's stdout as it arrives, until the target closes it. */
    private Saved readStates(ProcessChain chain, StateWriteMode mode, Optional<StateBlob> prior) {
        Saved saved = new Saved(prior);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(chain.stdout(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Optional<StateBlob> state = parse(line);
                if (state.isEmpty()) {
                    log.warn("{} wrote a line to stdout that is not a JSON object; state not updated", target.name());
                    continue;
                }
                if (state.equals(saved.last)) {
                    continue; // an unchanged state (e.g. the --state the tap echoed) moves nothing
                }
                if (options.updateState()) {
                    stateStore.save(stateId, state.get(), mode);
                }
                saved.last = state;
                saved.count++;
                listener.stateCommitted(state.get(), 0);
                log.info("Saved state for {} confirmed by {}", stateId, target.name());
            }
        } catch (IOException e) {
            if (chain.failedPlugin().isEmpty()) {
                throw new TargetException("reading the states of target '" + target.name()
                        + "' failed: " + e.getMessage(), e);
            }
            // the chain failed and was stopped; its failure is reported by the caller
        }
        return saved;
    }

    private static Optional<StateBlob> parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? Optional.of(new StateBlob(JSON.writeValueAsString(node)))
                    : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static final class Saved {
        Optional<StateBlob> last;
        long count;

        Saved(Optional<StateBlob> prior) {
            this.last = prior.flatMap(p -> parse(p.json()));
        }
    }
}
