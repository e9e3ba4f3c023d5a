package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.TaplineException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The CLI conventions of issue 11 item 6, checked over the whole command tree so a new command or
 * option cannot skip them: help on every command, help text on every argument, usage errors that
 * point at the help, and one mapping from failures to exit codes.
 */
class CliConventionsTest {
    @TempDir Path dir;

    private record Result(int exit, String out, String err) {}

    private static Result tapline(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static CommandLine tree() {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    /** Every command below the root, as the words that name it ({@code [state, list]}). */
    private static List<List<String>> commandPaths() {
        List<List<String>> out = new ArrayList<>();
        collect(tree(), List.of(), out);
        return out;
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> out) {
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = Stream.concat(path.stream(), Stream.of(name)).toList();
            out.add(subPath);
            collect(sub, subPath, out);
        });
    }

    private static List<CommandSpec> specs(CommandLine command) {
        List<CommandSpec> out = new ArrayList<>(List.of(command.getCommandSpec()));
        command.getSubcommands().values().forEach(sub -> out.addAll(specs(sub)));
        return out;
    }

    private static String[] args(List<String> path, String... more) {
        return Stream.concat(path.stream(), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void theTreeHasNestedCommands() {
        assertThat(commandPaths()).contains(List.of("run"), List.of("state", "list"), List.of("runs", "show"),
                List.of("airbyte", "check"), List.of("config"), List.of("help"));
    }

    @Test
    void everyCommandOptionAndParameterHasHelpText() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec spec : specs(tree())) {
            String command = spec.qualifiedName();
            if (String.join("", spec.usageMessage().description()).isBlank()) {
                missing.add(command);
            }
            List<ArgSpec> args = new ArrayList<>(spec.options());
            args.addAll(spec.positionalParameters());
            for (ArgSpec arg : args) {
                if (String.join("", arg.description()).isBlank()) {
                    missing.add(command + " " + (arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName()
                            : ((CommandLine.Model.PositionalParamSpec) arg).paramLabel()));
                }
            }
        }
        assertThat(missing).as("commands, options and parameters without help text").isEmpty();
    }

    @Test
    void everyCommandPrintsItsUsageOnStdoutForHelpAndExitsZero() {
        for (List<String> path : commandPaths()) {
            String usage = "Usage: tapline " + String.join(" ", path);
            for (String flag : List.of("--help", "-h")) {
                Result r = tapline(args(path, flag));
                assertThat(r.exit()).as("%s %s: %s", path, flag, r.err()).isZero();
                assertThat(r.out()).as("%s %s", path, flag).startsWith(usage);
                assertThat(r.err()).as("%s %s", path, flag).isEmpty();
            }
        }
    }

    @Test
    void helpCommandPrintsTheSameUsageAsHelpOptionAtEveryDepth() {
        for (List<String> path : commandPaths()) {
            Result viaCommand = tapline(Stream.concat(Stream.of("help"), path.stream()).toArray(String[]::new));
            assertThat(viaCommand.exit()).as("help %s: %s", path, viaCommand.err()).isZero();
            assertThat(viaCommand.out()).as("help %s", path).isEqualTo(tapline(args(path, "--help")).out());
        }
        Result root = tapline("help");
        assertThat(root.exit()).isZero();
        assertThat(root.out()).isEqualTo(tapline("--help").out());
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageError() {
        Result r = tapline("help", "state", "lst");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'lst'").contains("list").contains("Try 'tapline state --help'");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpIsAnsweredBeforeRequiredArgumentsAreChecked() {
        Result r = tapline("run", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("BLOCK").contains("--full-refresh");
        Result nested = tapline("config", "tap-x", "list", "--help");
        assertThat(nested.exit()).isZero();
        assertThat(nested.out()).startsWith("Usage: tapline config");
    }

    @Test
    void helpAfterThePluginNameOfInvokeGoesToThePlugin() throws Exception {
        Path tap = dir.resolve("tap-echo.sh");
        java.nio.file.Files.writeString(tap, "#!/bin/sh\necho \"args: $*\"\n");
        java.nio.file.Files.setPosixFilePermissions(tap, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        java.nio.file.Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                plugins:
                  extractors:
                    - name: tap-echo
                      executable: %s
                """.formatted(tap));
        Result r = tapline("-p", dir.toString(), "invoke", "tap-echo", "--help", "-h");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("args: --config ").endsWith(" --help -h\n").doesNotContain("Usage:");
    }

    @Test
    void aMissingArgumentIsAShortUsageErrorPointingAtTheCommandsHelp() {
        Result r = tapline("state", "get");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: Missing required parameter").contains("STATE_ID")
                .contains("Try 'tapline state get --help'").doesNotContain("Usage:");
        assertThat(r.err().lines()).hasSizeLessThanOrEqualTo(3);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMistypedCommandSuggestsTheRightOne() {
        Result r = tapline("stat", "list");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'stat'").contains("state").contains("Try 'tapline --help'");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Result r = tapline("run", "--no-such-option", "tap-x", "target-y");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--no-such-option").contains("Try 'tapline run --help'");
    }

    @Test
    void versionIsPrintedOnStdout() {
        Result r = tapline("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("tapline \\d+\\.\\d+\\.\\d+\\S*\\R");
    }

    @Test
    void everyErrorCodeExitsWithItsDocumentedCode() {
        ExitCodes exitCodes = new ExitCodes();
        for (ErrorCode code : ErrorCode.values()) {
            TaplineException e = new TaplineException(code, "failed");
            assertThat(exitCodes.getExitCode(e)).as(code.name()).isEqualTo(code.exitCode());
        }
        assertThat(exitCodes.getExitCode(new IllegalStateException("bug"))).isEqualTo(1);
        assertThat(exitCodes.getExitCode(new CommandLine.ParameterException(tree(), "bad"))).isEqualTo(2);
    }

    @Test
    void aFailingCommandPrintsOneErrorLineAndExitsWithItsCode() {
        Result r = tapline("-p", dir.toString(), "state", "list");
        int expected = new ConfigException("no project").errorCode().exitCode();
        assertThat(r.exit()).as(r.err()).isEqualTo(expected);
        assertThat(r.err()).startsWith("error: ").contains(dir.toString());
        assertThat(r.out()).isEmpty();
    }
}
