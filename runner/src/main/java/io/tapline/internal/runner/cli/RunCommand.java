package io.tapline.internal.runner.cli;

import io.tapline.PipelineOptions;
import io.tapline.internal.runner.project.ProjectSession;
import io.tapline.RetryPolicy;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.spi.ConfigException;
import io.tapline.internal.runner.project.BlockSets;
import io.tapline.spi.StateStrategy;
import io.tapline.internal.catalog.PluginType;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tapline.internal.runner.ops.OpsConfig;
import io.tapline.internal.runner.ops.Operations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = "Run blocks (extractor [mapper...] loader, repeated) or jobs, resuming from the stored state.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand Main main;

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "BLOCK", description = "plugin names and job names, in order")
    List<String> blocks;

    @Option(names = "--state-id-suffix", description = "append :<suffix> to the state id, to keep a separate state "
            + "for the same blocks (must not contain ':')")
    Optional<String> stateIdSuffix;

    @Option(names = "--full-refresh", description = "ignore the stored state") boolean fullRefresh;

    @Option(names = "--no-state-update", description = "do not store state") boolean noStateUpdate;

    @Option(names = "--force", description = "run even if another run of this state id is in progress") boolean force;

    @Option(names = "--state-strategy", defaultValue = "auto", converter = StrategyConverter.class,
            description = "auto (merge on --full-refresh, else overwrite), merge or overwrite (default: ${DEFAULT-VALUE})")
    StateStrategy stateStrategy;

    @Option(names = "--merge-state", description = "deprecated: --state-strategy merge") boolean mergeState;

    @Option(names = "--refresh-catalog", description = "discover the extractors' catalogs again instead of using the cache")
    boolean refreshCatalog;

    @Option(names = "--batch-rows", defaultValue = "65536",
            description = "rows per Arrow batch handed to the target (default ${DEFAULT-VALUE})")
    int batchRows;

    @Option(names = "--idle-timeout", defaultValue = "PT30M",
            description = "stop a tap that writes nothing for this long (ISO-8601 duration, default ${DEFAULT-VALUE})")
    java.time.Duration idleTimeout;

    static final class StrategyConverter implements picocli.CommandLine.ITypeConverter<StateStrategy> {
        @Override
        public StateStrategy convert(String value) {
            return StateStrategy.parse(value);
        }
    }

    @Option(names = "--commit-interval", defaultValue = "PT60S",
            description = "at a STATE, flush and commit once this long has passed since the last commit (default ${DEFAULT-VALUE})")
    java.time.Duration commitInterval;

    @Option(names = "--commit-rows", defaultValue = "1000000",
            description = "... or once this many rows were written since the last commit (default ${DEFAULT-VALUE})")
    long commitRows;

    @Option(names = "--retries", description = "retry a failed tap this many times from the last committed state "
            + "(default: the extractor's retry setting, else 0)")
    Optional<Integer> retries;

    @Option(names = "--retry-delay", defaultValue = "PT10S", description = "wait before the first retry; doubles per "
            + "retry (default ${DEFAULT-VALUE})")
    java.time.Duration retryDelay;

    @Option(names = "--retry-max-delay", defaultValue = "PT5M", description = "longest wait between retries (default ${DEFAULT-VALUE})")
    java.time.Duration retryMaxDelay;

    @Option(names = "--max-line-bytes", defaultValue = "52428800",
            description = "longest accepted line of tap output (default ${DEFAULT-VALUE}, 50 MiB like Meltano)")
    int maxLineBytes;

    @Mixin OpsOptions ops;

    @Override
    public Integer call() {
        ProjectSession project = main.openProject().refreshCatalog(refreshCatalog);
        StateStrategy strategy = StateStrategy.fromCliArgs(mergeState, stateStrategy);
        List<BlockSets.BlockSet> sets = BlockSets.parse(project.config(),
                project.config().jobs().expand(blocks));
        PipelineOptions pipelineOptions = PipelineOptions.defaults().withFullRefresh(fullRefresh)
                .withUpdateState(!noStateUpdate).withBatchRows(batchRows).withIdleTimeout(idleTimeout).withForce(force)
                .withCommitEvery(commitInterval, commitRows).withMaxLineBytes(maxLineBytes);
        if (retries.isPresent()) {
            pipelineOptions = pipelineOptions.withRetry(
                    new RetryPolicy(retries.get() + 1, retryDelay, retryMaxDelay, 2.0));
        }
        if (project.config().environment().isEmpty()) {
            // Meltano cannot name a state without an environment, so it runs without one.
            log.warn("No active environment, proceeding with stateless run");
            pipelineOptions = pipelineOptions.withFullRefresh(true).withUpdateState(false);
        }
        RunOptions options = new RunOptions(main.environment, stateIdSuffix, pipelineOptions, strategy);
        OpsConfig opsConfig = ops.config(project, System.getenv());
        for (BlockSets.BlockSet set : sets) {
            RunResult result;
            try (Operations reporting = Operations.open(opsConfig, ops.reporter(opsConfig, System.getenv()))) {
                result = project.pipeline(set.extractor(), set.mappers(), set.loader(), options)
                        .withListener(reporting.listener()).run();
            }
            if (project.config().plugin(PluginType.LOADERS, set.loader()).builtin()) {
                spec.commandLine().getOut().printf("%s -> %s: %d rows in %.1f s (%s)%n", set.extractor(), set.loader(),
                        result.rowsWritten(), result.duration().toMillis() / 1000.0, result.rowsPerStream());
            } else { // an external target counts its own rows
                spec.commandLine().getOut().printf("%s -> %s: done in %.1f s (%s)%n", set.extractor(), set.loader(),
                        result.duration().toMillis() / 1000.0, result.finalState().isPresent() ? "state saved" : "no state");
            }
        }
        return 0;
    }
}
