package io.tapline.internal.runner.cli;

import io.tapline.internal.runner.project.ProjectSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "install", description = "Install plugins into managed virtualenvs (all when none named).")
final class InstallCommand implements Callable<Integer> {
    @ParentCommand Main main;

    @Parameters(arity = "0..*", description = "plugin names") List<String> names = new ArrayList<>();

    @Option(names = "--clean", description = "reinstall even if installed") boolean clean;

    @Override
    public Integer call() {
        main.openProject().install(names, clean);
        return 0;
    }
}
