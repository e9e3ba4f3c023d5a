package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.Pipeline;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestTaps;
import io.tapline.protocol.PluginFailedException;
import io.tapline.protocol.StateBlob;
import io.tapline.state.file.FileStateStore;
import io.tapline.targets.duckdb.DuckDbTarget;
import io.tapline.targets.duckdb.DuckDbTargetConfig;
import java.nio.file.Path;
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
