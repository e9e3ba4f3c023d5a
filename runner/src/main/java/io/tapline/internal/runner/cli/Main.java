package io.tapline.internal.runner.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** {@code tapline}: a thin picocli shell over the {@link io.tapline.Project} and {@link io.tapline.Pipeline} API. */
@Command(name = "tapline", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runs Singer taps and Airbyte sources into DuckDB, Parquet, JSONL or any Singer target, with "
            + "state kept between runs.",
        subcommands = {HelpCommand.class, RunCommand.class, InstallCommand.class, TargetCommand.class, ConfigCommand.class,
            StateCommand.class, SelectCommand.class, InvokeCommand.class, ElCommand.class,
            AirbyteCommand.class, RunsCommand.class, HubCommand.class})
public final class Main {
    @Option(names = {"-p", "--project"}, defaultValue = "${env:TAPLINE_PROJECT:-.}", scope = CommandLine.ScopeType.INHERIT,
            description = "meltano.yml, or the folder holding it (default: ${DEFAULT-VALUE})")
    java.nio.file.Path project;

    @Option(names = "--environment", scope = CommandLine.ScopeType.INHERIT,
            description = "Meltano environment (default: $MELTANO_ENVIRONMENT, else the project's default_environment)")
    java.util.Optional<String> environment = java.util.Optional.empty();

    /** The project at {@code --project}, in the environment {@code --environment} names. */
    io.tapline.internal.runner.project.ProjectSession openProject() {
        return io.tapline.internal.runner.project.ProjectSession.open(project, System.getenv(), environment);
    }

    @Option(names = "--log-format", defaultValue = "${env:TAPLINE_LOG_FORMAT:-TEXT}", scope = CommandLine.ScopeType.INHERIT,
            description = "text or json (one JSON object per log line; default ${DEFAULT-VALUE})")
    LogFormat logFormat;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; never calls {@code System.exit}. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, printing results to {@code out} and errors to {@code err}. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(out, err).execute(args);
    }

    /**
     * The whole command tree, configured as {@code tapline} runs it: every command answers
     * {@code -h}/{@code --help}, failures map to exit codes through {@link ExitCodes}, and a usage
     * error prints one line and where to find help (not the whole usage).
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        addHelpOption(cli);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionStrategy(parseResult -> {
            main.logFormat.apply();
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setOut(out);
        cli.setErr(err);
        // after the plugin name every argument is the plugin's, so `invoke tap-x --help` asks the tap
        CommandLine invoke = cli.getSubcommands().get("invoke");
        invoke.setUnmatchedOptionsArePositionalParams(true);
        invoke.setStopAtPositional(true);
        ExitCodes exitCodes = new ExitCodes();
        cli.setExitCodeExceptionMapper(exitCodes);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return exitCodes.getExitCode(e);
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter w = command.getErr();
            w.println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, w);
            w.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            return exitCodes.getExitCode(e);
        });
        return cli;
    }

    /** Gives every subcommand (the root has picocli's standard options) {@code -h}/{@code --help}. */
    private static void addHelpOption(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.options().stream().noneMatch(OptionSpec::usageHelp)) {
                spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            addHelpOption(sub);
        }
    }
}
