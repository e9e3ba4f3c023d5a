package io.tapline.internal.runner.cli;

import io.tapline.PipelineOptions;
import io.tapline.internal.runner.project.ProjectSession;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.internal.state.StateId;
import io.tapline.spi.StateStrategy;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tapline el}: Meltano's {@code meltano el}. Like {@code run} for one extractor and loader,
 * but the state id is {@code --state-id}, or when that is absent a new one per run
 * ({@code <UTC time>--<tap>--<target>}), so without {@code --state-id} every run starts fresh.
 */
@Command(name = "el", description = "Extract and load once, with an explicit (or a throw-away) state id.")
final class ElCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXTRACTOR", description = "extractor name") String extractor;
    @Parameters(index = "1", paramLabel = "LOADER", description = "loader name") String loader;

    @Option(names = "--state-id", description = "the state id to resume from and save to") Optional<String> stateId;
    @Option(names = "--full-refresh", description = "ignore the stored state") boolean fullRefresh;
    @Option(names = "--no-state-update", description = "do not store state") boolean noStateUpdate;
    @Option(names = "--force", description = "run even if another run of this state id is in progress") boolean force;
    @Option(names = "--state-strategy", defaultValue = "auto", converter = RunCommand.StrategyConverter.class,
            description = "auto, merge or overwrite (default: ${DEFAULT-VALUE})")
    StateStrategy stateStrategy;
    @Option(names = "--merge-state", description = "deprecated: --state-strategy merge") boolean mergeState;
    @Option(names = "--refresh-catalog", description = "discover again instead of using the cached catalog")
    boolean refreshCatalog;

    @Override
    public Integer call() {
        ProjectSession project = main.openProject().refreshCatalog(refreshCatalog);
        StateStrategy strategy = StateStrategy.fromCliArgs(mergeState, stateStrategy);
        String id = stateId.orElseGet(() -> StateId.ephemeral(Instant.now(), extractor, loader));
        PipelineOptions pipeline = PipelineOptions.defaults().withFullRefresh(fullRefresh).withUpdateState(!noStateUpdate)
                .withForce(force);
        RunResult result = project.pipeline(extractor, loader, id,
                new RunOptions(Optional.empty(), Optional.empty(), pipeline, strategy)).run();
        spec.commandLine().getOut().printf("%s -> %s (state id %s): %d rows in %.1f s (%s)%n", extractor, loader, id,
                result.rowsWritten(), result.duration().toMillis() / 1000.0, result.rowsPerStream());
        return 0;
    }
}
