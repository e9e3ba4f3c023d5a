package io.tapline.runner.cli;

import io.tapline.PipelineOptions;
import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import java.util.Optional;
import java.util.concurrent.Callable;
import io.tapline.runner.ops.OpsConfig;
import io.tapline.runner.ops.Operations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin OpsOptions ops;

    @Override
    public Integer call() {
        Project project = Project.open(main.project);
        PipelineOptions pipelineOptions = PipelineOptions.defaults().withFullRefresh(fullRefresh)
                .withUpdateState(!noStateUpdate).withBatchRows(batchRows).withIdleTimeout(idleTimeout).withForce(force);
        OpsConfig opsConfig = ops.config(project, System.getenv());
        RunResult result;
        try (Operations reporting = Operations.open(opsConfig, ops.reporter(opsConfig, System.getenv()))) {
            result = project.pipeline(extractor, loader, new RunOptions(environment, stateIdSuffix, pipelineOptions))
                    .withListener(reporting.listener()).run();
        }
        spec.commandLine().getOut().printf("%s -> %s: %d rows in %.1f s (%s)%n", extractor, loader, result.rowsWritten(),
                result.duration().toMillis() / 1000.0, result.rowsPerStream());
        return 0;
    }
}
