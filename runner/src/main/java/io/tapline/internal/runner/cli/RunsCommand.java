package io.tapline.internal.runner.cli;

import io.tapline.internal.runner.project.ProjectSession;
import io.tapline.spi.ConfigException;
import io.tapline.internal.runner.ops.OpsConfig;
import io.tapline.internal.state.history.ColumnStats;
import io.tapline.internal.state.history.HistoryLocation;
import io.tapline.internal.state.history.RunHistories;
import io.tapline.internal.state.history.RunHistory;
import io.tapline.internal.state.history.RunRecord;
import io.tapline.internal.state.history.StreamRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tapline runs}: the run history as a table; {@code tapline runs show <id>}: one run in full. */
@Command(name = "runs", description = "List recorded runs (latest first).", subcommands = RunsCommand.Show.class)
final class RunsCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @ParentCommand Main main;

    @Spec CommandSpec spec;

    @Option(names = {"-n", "--limit"}, defaultValue = "20", description = "how many runs (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--pipeline", description = "only this pipeline's runs") Optional<String> pipeline;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        HistoryLocation location = location(main);
        if (location instanceof HistoryLocation.File f && !Files.exists(f.path())) {
            out.println("(no runs recorded yet)");
            return 0;
        }
        List<RunRecord> runs = RunHistories.open(location, System.getenv(), RunsCommand.class.getClassLoader())
                .list(limit, pipeline);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN ID", "PIPELINE", "STARTED", "DURATION", "STATUS", "ROWS", "ERROR"});
        for (RunRecord r : runs) {
            rows.add(new String[] {r.runId().substring(0, Math.min(8, r.runId().length())), r.pipeline(),
                    TIME.format(r.startedAt()), r.duration().map(d -> String.format(Locale.ROOT, "%.1fs",
                            d.toMillis() / 1000.0)).orElse("-"), r.status().label(),
                    r.rowsCommitted().map(String::valueOf).orElse("-"),
                    r.error().map(e -> firstLine(e, 60)).orElse("")});
        }
        table(out, rows);
        if (runs.isEmpty()) {
            out.println("(no runs recorded yet)");
        }
        return 0;
    }

    /** Where the project keeps its run history ({@code tapline.history}). */
    static HistoryLocation location(Main main) {
        ProjectSession project = ProjectSession.open(main.project);
        return OpsConfig.load(project.config(), System.getenv()).history().orElseThrow(() ->
                new ConfigException("the run history is turned off for this project (tapline.history: false)"));
    }

    static RunHistory history(Main main) {
        HistoryLocation location = location(main);
        if (location instanceof HistoryLocation.File f && !Files.exists(f.path())) {
            throw new ConfigException("no run history yet at " + f.path());
        }
        return RunHistories.open(location, System.getenv(), RunsCommand.class.getClassLoader());
    }

    static String firstLine(String s, int max) {
        String line = s.lines().findFirst().orElse("");
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    static void table(PrintWriter out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    @Command(name = "show", description = "Show one run: status, error, state before/after, per-stream figures.")
    static final class Show implements Callable<Integer> {
        @ParentCommand RunsCommand runs;

        @Spec CommandSpec spec;

        @Parameters(index = "0", description = "run id, or a unique prefix of one") String runId;

        @Override
        public Integer call() {
            RunRecord r = history(runs.main).find(runId)
                    .orElseThrow(() -> new ConfigException("no run '" + runId + "' in the run history"));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("run id:         %s%n", r.runId());
            out.printf("pipeline:       %s%n", r.pipeline());
            out.printf("state id:       %s%n", r.stateId());
            out.printf("status:         %s%n", r.status().label());
            out.printf("started:        %s%n", TIME.format(r.startedAt()));
            out.printf("ended:          %s%n", r.endedAt().map(TIME::format).orElse("-"));
            out.printf("duration:       %s%n", r.duration().map(d -> String.format(Locale.ROOT, "%.1f s",
                    d.toMillis() / 1000.0)).orElse("-"));
            out.printf("rows committed: %s%n", r.rowsCommitted().map(String::valueOf).orElse("-"));
            out.printf("bytes read:     %d%n", r.bytesRead());
            r.exitCode().ifPresent(c -> out.printf("exit code:      %d%n", c));
            r.error().ifPresent(e -> out.printf("error:          %s%n", e));
            out.printf("process:        %d on %s%n", r.pid(), r.host());
            out.printf("state before:   %s%n", r.stateBefore().orElse("-"));
            out.printf("state after:    %s%n", r.stateAfter().orElse("-"));
            for (StreamRecord s : r.streams()) {
                out.printf("%nstream %s: %d rows, %d bytes%n", s.stream(), s.rows(), s.bytes());
                s.schemaChanges().forEach(c -> out.printf("  schema change: %s%n", c));
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"  COLUMN", "TYPE", "NULLS", "NULL %"});
                for (ColumnStats c : s.columns()) {
                    rows.add(new String[] {"  " + c.name(), c.type(), String.valueOf(c.nullCount()),
                            s.rows() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", 100.0 * c.nullCount() / s.rows())});
                }
                table(out, rows);
            }
            return 0;
        }
    }
}
