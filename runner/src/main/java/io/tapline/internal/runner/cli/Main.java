package io.tapline.internal.runner.cli;

import io.tapline.spi.TaplineException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tapline}: a thin picocli shell over the {@link io.tapline.Project} and {@link io.tapline.Pipeline} API. */
@Command(name = "tapline", mixinStandardHelpOptions = true, version = "tapline 0.1.0",
        description = "Runs Singer taps into DuckDB, with state kept between runs.",
        subcommands = {RunCommand.class, InstallCommand.class, TargetCommand.class, ConfigCommand.class,
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
    io.tapline.Project openProject() {
        return io.tapline.Project.open(project, System.getenv(), environment);
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
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionStrategy(parseResult -> {
            main.logFormat.apply();
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setOut(out);
        cli.setErr(err);
        // a plugin's own options (--discover, --about, ...) pass through invoke untouched
        cli.getSubcommands().get("invoke").setUnmatchedOptionsArePositionalParams(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + e.getMessage());
            return e instanceof TaplineException te ? te.errorCode().exitCode() : 1;
        });
        return cli.execute(args);
    }
}
