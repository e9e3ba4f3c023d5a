package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.Pipeline;
import io.tapline.PipelineOptions;
import io.tapline.RetryPolicy;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.PluginFailedException;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A tap that fails its first runs: retried from the last committed state with backoff, only when asked to. */
@Timeout(180)
class RetryIT {
    @TempDir Path dir;

    @Test
    void aTapFailingTwiceSucceedsOnTheThirdAttemptResumingFromTheCommittedStateAfterBackoff() throws Exception {
        Path attempts = dir.resolve("attempts");
        RetryPolicy policy = RetryPolicy.exponential(3, Duration.ofMillis(300), Duration.ofSeconds(1));
        long start = System.nanoTime();
        RunResult result = pipeline(attempts, 2, policy).run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // first run from scratch; each retry starts from the state the failed attempt committed (ids 3 and 6)
        assertThat(Files.readAllLines(attempts)).containsExactly("none",
                "{\"bookmarks\":{\"items\":{\"last_id\":3}}}", "{\"bookmarks\":{\"items\":{\"last_id\":6}}}");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300 + 600));
        assertThat(Duck.query(dir.resolve("w.duckdb"), "SELECT id FROM items ORDER BY id"))
                .extracting(r -> ((Number) r.get("id")).intValue()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(result.finalState().orElseThrow().json()).contains("\"last_id\":10");
    }

    @Test
    void whenAttemptsRunOutTheLastFailureIsReportedAndItsCommittedStateKept() {
        Path attempts = dir.resolve("attempts");
        RetryPolicy policy = RetryPolicy.exponential(2, Duration.ofMillis(50), Duration.ofMillis(50));
        assertThatThrownBy(() -> pipeline(attempts, 5, policy).run())
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("simulated failure before record 9");
        assertThat(attempts).content().hasLineCount(2);
        assertThat(FileStateStore.at(dir.resolve("state")).read("retry").orElseThrow().json()).contains("\"last_id\":6");
    }

    @Test
    void retriesAreOffByDefault() {
        Path attempts = dir.resolve("attempts");
        assertThatThrownBy(() -> pipeline(attempts, 1, PipelineOptions.defaults().retry()).run())
                .isInstanceOf(PluginFailedException.class);
        assertThat(attempts).content().hasLineCount(1);
    }

    private Pipeline pipeline(Path attempts, int failTimes, RetryPolicy retry) {
        Path tap = TestTaps.script(dir, "flaky_tap.sh");
        TestTaps.script(dir, "counting_tap.py");
        var target = DuckDbTarget.file(dir.resolve("w.duckdb")).build();
        return Pipeline.builder()
                .tap(Tap.singer("flaky").command(List.of(tap.toString())).capabilities(EnumSet.of(Tap.Capability.STATE))
                        .environment(Map.of("ATTEMPTS_FILE", attempts.toString(), "FAIL_TIMES", String.valueOf(failTimes),
                                "KEY_PROPERTIES", "[\"id\"]"))
                        .build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .stateId("retry")
                .options(PipelineOptions.defaults().withRetry(retry))
                .build();
    }
}
