package io.tapline.internal.runner.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Parameters;

/**
 * {@code tapline help [<command> [<subcommand>...]]}: the usage of tapline or of any nested command
 * ({@code help state list}), on stdout. picocli's own {@code HelpCommand} only goes one level deep.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the usage of tapline or of one of its commands (e.g. 'tapline help state list').")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "the command (and subcommands) to explain")
    List<String> commands = new ArrayList<>();

    private CommandLine self;
    private Help.ColorScheme colors;

    @Override
    public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
    }

    @Override
    public void run() {
        CommandLine target = self.getParent();
        for (String name : commands) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                throw new CommandLine.ParameterException(target, target.getSubcommands().isEmpty()
                        ? "'" + target.getCommandSpec().qualifiedName() + "' has no subcommand '" + name + "'"
                        : "unknown command '" + name + "' (one of: "
                                + String.join(", ", target.getSubcommands().keySet()) + ")");
            }
            target = next;
        }
        target.usage(target.getOut(), colors);
    }
}
