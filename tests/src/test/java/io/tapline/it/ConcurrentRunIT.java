package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.Pipeline;
import io.tapline.PipelineOptions;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Fifo;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateStoreException;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two runs of one state id at once: the second is refused, as Meltano refuses it, unless forced. */
@Timeout(120)
class ConcurrentRunIT {
    @TempDir Path dir;

    @Test
    void secondRunOfTheSameStateIdIsRefusedWhileTheFirstRunsUnlessForced() throws Exception {
        Fifo started = Fifo.create(dir.resolve("started"));
        Fifo release = Fifo.create(dir.resolve("release"));
        Path slowTap = dir.resolve("slow-tap.sh");
        Path counting = TestTaps.script(dir, "counting_tap.py");
        // tapline starts the tap only once it holds the lock: the tap saying so is the event the test waits for;
        // then it waits until the test lets it go, and behaves like the counting tap
        Files.writeString(slowTap, "#!/usr/bin/env bash\necho started > '" + started.path() + "'\n"
                + "read -r _ < '" + release.path() + "'\n"
                + "exec '" + counting + "' \"$@\"\n");
        Files.setPosixFilePermissions(slowTap, PosixFilePermissions.fromString("rwxr-xr-x"));
        FileStateStore states = FileStateStore.at(dir.resolve("state"));

        CompletableFuture<RunResult> first = CompletableFuture.supplyAsync(
                () -> pipeline(slowTap, states, dir.resolve("a.duckdb"), false).run());
        started.read(Duration.ofSeconds(60));

        assertThatThrownBy(() -> pipeline(counting, states, dir.resolve("b.duckdb"), false).run())
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("Another 'dev:tap-to-target' pipeline is already running")
                .satisfies(e -> assertThat(((StateStoreException) e).errorCode()).isEqualTo(ErrorCode.STATE_LOCKED));
        RunResult forced = pipeline(counting, states, dir.resolve("c.duckdb"), true).run();
        assertThat(forced.rowsWritten()).isEqualTo(10);

        release.write("go\n", Duration.ofSeconds(30));
        assertThat(first.get(60, TimeUnit.SECONDS).rowsWritten()).isGreaterThan(0);
        // the lock went with the first run: a new run takes it again
        assertThat(pipeline(counting, states, dir.resolve("d.duckdb"), false).run().rowsWritten()).isZero();
    }

    private static Pipeline pipeline(Path tap, FileStateStore states, Path db, boolean force) {
        var target = DuckDbTarget.file(db).build();
        return Pipeline.builder()
                .tap(Tap.singer("tap").command(tap).environment(Map.of("LAST_ID", "10")).build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(states)
                .stateId("dev:tap-to-target")
                .options(PipelineOptions.defaults().withForce(force))
                .build();
    }
}
