package io.tapline.internal.runner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.internal.state.history.DuckDbRunHistory;
import io.tapline.internal.state.history.RunRecord;
import io.tapline.internal.state.history.StreamRecord;
import io.tapline.spi.Column;
import io.tapline.spi.ColumnType;
import io.tapline.spi.RunFinished;
import io.tapline.spi.RunStarted;
import io.tapline.spi.StreamName;
import io.tapline.spi.StreamSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RunReporter} against a real run history file. */
class RunReporterTest {
    private static final StreamName USERS = new StreamName("users");
    private static final Column ID = new Column("id", ColumnType.BIGINT);
    private static final Column AGE = new Column("age", ColumnType.BIGINT);

    @TempDir Path dir;

    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    /** Reports one run of pipeline {@code p} that opened {@code users} with {@code columns}. */
    private RunRecord run(DuckDbRunHistory history, String runId, int minute, RunFinished.Status status,
            List<Column> columns) {
        RunReporter reporter = new RunReporter(Optional.of(history), Optional.empty(), Optional.empty());
        RunStarted start = new RunStarted(runId, "p", "dev:p", t0.plusSeconds(60L * minute), Optional.empty());
        reporter.runStarted(start);
        reporter.streamOpened(new StreamSchema(USERS, columns, List.of()));
        boolean failed = status == RunFinished.Status.FAILED;
        reporter.runFinished(new RunFinished(start, start.startedAt().plusSeconds(1), status,
                failed ? Optional.of("tap failed") : Optional.empty(), failed ? 4 : 0, 0, 0, Optional.empty()));
        return reporter.recorded().orElseThrow();
    }

    private static List<String> changes(RunRecord run) {
        return run.stream("users").map(StreamRecord::schemaChanges).orElseThrow();
    }

    @Test
    @Tag("gh-11")
    void schemaDriftIsMeasuredAgainstTheLastSuccessfulRunNotAFailedOne() {
        DuckDbRunHistory history = DuckDbRunHistory.open(dir.resolve("system.duckdb"));
        run(history, "r1", 0, RunFinished.Status.SUCCESS, List.of(ID));
        // the failed run already saw the new column; it must not become the baseline
        RunRecord failed = run(history, "r2", 1, RunFinished.Status.FAILED, List.of(ID, AGE));
        RunRecord next = run(history, "r3", 2, RunFinished.Status.SUCCESS, List.of(ID, AGE));

        assertThat(changes(failed)).containsExactly("since last successful run: added column age (BIGINT)");
        assertThat(changes(next)).containsExactly("since last successful run: added column age (BIGINT)");
        assertThat(changes(history.find("r3").orElseThrow())).isEqualTo(changes(next));
    }

    @Test
    void aRunWithTheColumnsOfTheLastSuccessfulRunHasNoDrift() {
        DuckDbRunHistory history = DuckDbRunHistory.open(dir.resolve("system.duckdb"));
        run(history, "r1", 0, RunFinished.Status.SUCCESS, List.of(ID, AGE));
        run(history, "r2", 1, RunFinished.Status.FAILED, List.of(ID));

        assertThat(changes(run(history, "r3", 2, RunFinished.Status.SUCCESS, List.of(ID, AGE)))).isEmpty();
    }
}
