package io.tapline.runner.cli;

import io.tapline.PipelineOptions;
import io.tapline.Project;
import io.tapline.RetryPolicy;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", description = "Run an extractor into a loader, resuming from the stored state.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand Main main;

    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "extractor name") String extractor;

    @Parameters(index = "1", description = "loader name") String loader;

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

    @Override
    public Integer call() {
        Project project = Project.open(main.project);
        PipelineOptions pipelineOptions = PipelineOptions.defaults().withFullRefresh(fullRefresh)
                .withUpdateState(!noStateUpdate).withBatchRows(batchRows).withIdleTimeout(idleTimeout).withForce(force)
                .withCommitEvery(commitInterval, commitRows).withMaxLineBytes(maxLineBytes);
        if (retries.isPresent()) {
            pipelineOptions = pipelineOptions.withRetry(
                    new RetryPolicy(retries.get() + 1, retryDelay, retryMaxDelay, 2.0));
        }
        RunResult result = project.pipeline(extractor, loader,
                new RunOptions(environment, stateIdSuffix, pipelineOptions)).run();
        spec.commandLine().getOut().printf("%s -> %s: %d rows in %.1f s (%s)%n", extractor, loader, result.rowsWritten(),
                result.duration().toMillis() / 1000.0, result.rowsPerStream());
        return 0;
    }
}
