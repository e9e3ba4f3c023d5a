package io.tapline.runner.cli;

import io.tapline.PipelineOptions;
import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.catalog.PluginType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = "Run an extractor (through mappings) into a loader, resuming from the stored state.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand Main main;

    @Spec CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "PLUGIN",
            description = "extractor, mapping names (from a mapper's mappings), loader; as `meltano run`")
    List<String> blocks;

    @Option(names = "--environment", description = "Meltano environment (default: the project's default_environment)")
    Optional<String> environment;

    @Option(names = "--state-id-suffix") Optional<String> stateIdSuffix;

    @Option(names = "--full-refresh", description = "ignore the stored state") boolean fullRefresh;

    @Option(names = "--no-state-update", description = "do not store state") boolean noStateUpdate;

    @Option(names = "--force", description = "run even if another run of this state id is in progress") boolean force;

    @Option(names = "--batch-rows", defaultValue = "65536") int batchRows;

    @Option(names = "--idle-timeout", defaultValue = "PT30M",
            description = "stop a tap that writes nothing for this long (ISO-8601 duration, default ${DEFAULT-VALUE})")
    java.time.Duration idleTimeout;

    @Override
    public Integer call() {
        Project project = Project.open(main.project);
        PipelineOptions pipelineOptions = PipelineOptions.defaults().withFullRefresh(fullRefresh)
                .withUpdateState(!noStateUpdate).withBatchRows(batchRows).withIdleTimeout(idleTimeout).withForce(force);
        String extractor = blocks.get(0);
        String loader = blocks.get(blocks.size() - 1);
        RunResult result = project.pipeline(extractor, blocks.subList(1, blocks.size() - 1), loader,
                new RunOptions(environment, stateIdSuffix, pipelineOptions)).run();
        if (project.config().plugin(PluginType.LOADERS, loader).builtin()) {
            spec.commandLine().getOut().printf("%s -> %s: %d rows in %.1f s (%s)%n", extractor, loader,
                    result.rowsWritten(), result.duration().toMillis() / 1000.0, result.rowsPerStream());
        } else { // an external target counts its own rows
            spec.commandLine().getOut().printf("%s -> %s: done in %.1f s (%s)%n", extractor, loader,
                    result.duration().toMillis() / 1000.0, result.finalState().isPresent() ? "state saved" : "no state");
        }
        return 0;
    }
}
