package io.tapline.internal.state.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.StateStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbRunHistoryTest {
    @TempDir Path dir;

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private RunRecord started(DuckDbRunHistory h, String id, long pid, Instant at) {
        RunRecord r = new RunRecord(id, "tap-a-to-target-duckdb", "dev:tap-a-to-target-duckdb", at, Optional.empty(),
                RunStatus.RUNNING, Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.of("{\"a\":1}"),
                Optional.empty(), pid, h.host(), List.of());
        h.started(r);
        return r;
    }

    private static RunRecord finished(RunRecord r, RunStatus status, long rows, Instant end) {
        StreamRecord users = new StreamRecord("users", rows, rows * 10,
                List.of(new ColumnStats("id", "BIGINT", 0), new ColumnStats("email", "VARCHAR", 3)),
                List.of("added column email (VARCHAR)"));
        return new RunRecord(r.runId(), r.pipeline(), r.stateId(), r.startedAt(), Optional.of(end), status,
                status == RunStatus.FAILED ? Optional.of("tap failed") : Optional.empty(),
                Optional.of(status == RunStatus.FAILED ? 4 : 0), Optional.of(rows), 1234, r.stateBefore(),
                Optional.of("{\"a\":2}"), r.pid(), r.host(), List.of(users));
    }

    @Test
    void finishedRunSurvivesReopeningWithItsStreamsAndColumns() {
        DuckDbRunHistory h = DuckDbRunHistory.open(dir.resolve(".tapline/system.duckdb"));
        RunRecord r = started(h, "0001-aaaa", ProcessHandle.current().pid(), t0);
        h.finished(finished(r, RunStatus.SUCCESS, 42, t0.plusSeconds(3)));

        RunRecord back = DuckDbRunHistory.open(dir.resolve(".tapline/system.duckdb")).find("0001-aaaa").orElseThrow();
        assertThat(back.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(back.startedAt()).isEqualTo(t0);
        assertThat(back.duration()).contains(java.time.Duration.ofSeconds(3));
        assertThat(back.rowsCommitted()).contains(42L);
        assertThat(back.stateBefore()).contains("{\"a\":1}");
        assertThat(back.stateAfter()).contains("{\"a\":2}");
        assertThat(back.streams()).hasSize(1);
        StreamRecord users = back.stream("users").orElseThrow();
        assertThat(users.rows()).isEqualTo(42);
        assertThat(users.columns()).containsExactly(new ColumnStats("id", "BIGINT", 0), new ColumnStats("email", "VARCHAR", 3));
        assertThat(users.schemaChanges()).containsExactly("added column email (VARCHAR)");
    }

    @Test
    void runningRowOfADeadProcessReadsAsAbandonedAndOfALiveOneAsRunning() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        DuckDbRunHistory h = DuckDbRunHistory.open(dir.resolve("system.duckdb"));
        started(h, "dead-run", gone.pid(), t0);
        started(h, "live-run", ProcessHandle.current().pid(), t0.plusSeconds(1));

        assertThat(h.find("dead-run").orElseThrow().status()).isEqualTo(RunStatus.ABANDONED);
        assertThat(h.find("live-run").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(h.list(10, Optional.empty())).extracting(RunRecord::runId).containsExactly("live-run", "dead-run");
    }

    @Test
    @org.junit.jupiter.api.Tag("gh-11")
    void lastSuccessfulSkipsLaterFailedAndUnfinishedRuns() {
        DuckDbRunHistory h = DuckDbRunHistory.open(dir.resolve("system.duckdb"));
        RunRecord first = started(h, "r1", ProcessHandle.current().pid(), t0);
        h.finished(finished(first, RunStatus.SUCCESS, 10, t0.plusSeconds(1)));
        RunRecord second = started(h, "r2", ProcessHandle.current().pid(), t0.plusSeconds(2));
        h.finished(finished(second, RunStatus.FAILED, 5, t0.plusSeconds(3)));
        started(h, "r3", ProcessHandle.current().pid(), t0.plusSeconds(4)); // still running
        RunRecord fourth = started(h, "r4", ProcessHandle.current().pid(), t0.plusSeconds(5));

        RunRecord baseline = h.lastSuccessful(fourth.pipeline(), "r4").orElseThrow();
        assertThat(baseline.runId()).isEqualTo("r1");
        assertThat(baseline.status()).isEqualTo(RunStatus.SUCCESS);
        assertThat(baseline.stream("users").orElseThrow().rows()).isEqualTo(10);
        assertThat(h.lastSuccessful(first.pipeline(), "r1")).isEmpty();
        assertThat(h.lastSuccessful("other", "r4")).isEmpty();
    }

    @Test
    void aRunIsFoundByAUniquePrefixAndAnAmbiguousOneIsRefused() {
        DuckDbRunHistory h = DuckDbRunHistory.open(dir.resolve("system.duckdb"));
        started(h, "abc-1", 1, t0);
        started(h, "abd-2", 1, t0);
        assertThat(h.find("abc").orElseThrow().runId()).isEqualTo("abc-1");
        assertThat(h.find("zzz")).isEmpty();
        assertThatThrownBy(() -> h.find("ab")).isInstanceOf(StateStoreException.class).hasMessageContaining("more than one");
    }

    @Test
    void tablesAreQueryableWithPlainSql() throws Exception {
        Path file = dir.resolve("system.duckdb");
        DuckDbRunHistory h = DuckDbRunHistory.open(file);
        h.finished(finished(started(h, "r1", 1, t0), RunStatus.SUCCESS, 7, t0.plusMillis(1500)));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT r.status, r.duration_ms, s.rows, sum(c.null_count) FROM runs r "
                     + "JOIN run_streams s USING (run_id) JOIN run_columns c USING (run_id, stream) GROUP BY ALL")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("success");
            assertThat(rs.getLong(2)).isEqualTo(1500);
            assertThat(rs.getLong(3)).isEqualTo(7);
            assertThat(rs.getLong(4)).isEqualTo(3);
        }
    }
}
