package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.Pipeline;
import io.tapline.PipelineOptions;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.StateBlob;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import io.tapline.internal.targets.duckdb.DuckDbTargetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tap that dies mid-stream: what was committed stays, nothing after its last STATE is claimed, the rerun resumes. */
class CrashingTapIT {
    @TempDir Path dir;

    @Test
    void crashKeepsTheLastStateAndItsRecordsAndTheNextRunResumesWithoutDuplicates() {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        Path db = dir.resolve("warehouse.duckdb");
        FileStateStore states = FileStateStore.at(dir.resolve("state"));

        // ids 1..7 are emitted, STATE after 3 and 6, then the tap dies before 8
        Pipeline crashing = pipeline(tap, db, states, Map.of("LAST_ID", "10", "CRASH_AT_ID", "8"));
        assertThatThrownBy(crashing::run)
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("simulated failure before record 8");
        assertThat(states.read("items")).contains(new StateBlob("{\"bookmarks\":{\"items\":{\"last_id\":6}}}"));
        assertThat(ids(db)).containsExactlyElementsOf(range(1, 6)); // 7 came after the last STATE: not committed

        RunResult rerun = pipeline(tap, db, states, Map.of("LAST_ID", "10")).run();
        assertThat(rerun.rowsWritten()).isEqualTo(4);
        assertThat(ids(db)).containsExactlyElementsOf(range(1, 10));
        assertThat(states.read("items")).contains(new StateBlob("{\"bookmarks\":{\"items\":{\"last_id\":10}}}"));
    }

    @Test
    void tapThatFailsBeforeAnyStateCommitsNothing() {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        Path db = dir.resolve("warehouse.duckdb");
        FileStateStore states = FileStateStore.at(dir.resolve("state"));
        assertThatThrownBy(pipeline(tap, db, states, Map.of("CRASH_AT_ID", "2"))::run)
                .isInstanceOf(PluginFailedException.class);
        assertThat(states.read("items")).isEmpty();
        // even the CREATE TABLE was in the rolled-back transaction
        assertThat(Duck.query(db, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'items'")
                .get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void tapThatHangsIsStoppedAfterTheIdleTimeoutKeepingItsLastState() throws Exception {
        Path tap = dir.resolve("hanging-tap.sh");
        Files.writeString(tap, String.join("\n", "#!/usr/bin/env bash",
                "echo '{\"type\":\"SCHEMA\",\"stream\":\"items\",\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}},\"key_properties\":[]}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":1}}'",
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":1}}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":2}}'",
                "echo $$ > '" + dir.resolve("tap.pid") + "'",
                "sleep 600", ""));
        Files.setPosixFilePermissions(tap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path db = dir.resolve("warehouse.duckdb");
        FileStateStore states = FileStateStore.at(dir.resolve("state"));
        DuckDbTargetConfig target = DuckDbTarget.file(db).build();
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("hanging-tap").command(tap).build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(states)
                .stateId("items")
                .options(PipelineOptions.defaults().withIdleTimeout(Duration.ofSeconds(2)))
                .build();

        long start = System.nanoTime();
        assertThatThrownBy(pipeline::run)
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("wrote nothing for 2 s")
                .satisfies(e -> assertThat(((PluginFailedException) e).errorCode()).isEqualTo(ErrorCode.PLUGIN_TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(states.read("items")).contains(new StateBlob("{\"at\":1}"));
        assertThat(ids(db)).containsExactly(1L);
        long pid = Long.parseLong(Files.readString(dir.resolve("tap.pid")).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse(); // no orphan left
    }

    private static Pipeline pipeline(Path tap, Path db, FileStateStore states, Map<String, String> env) {
        DuckDbTargetConfig target = DuckDbTarget.file(db).build();
        return Pipeline.builder()
                .tap(Tap.singer("counting-tap").command(tap).environment(env).build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(states)
                .stateId("items")
                .build();
    }

    private static List<Long> ids(Path db) {
        return Duck.query(db, "SELECT id FROM main.items ORDER BY id").stream()
                .map(r -> ((Number) r.get("id")).longValue()).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
