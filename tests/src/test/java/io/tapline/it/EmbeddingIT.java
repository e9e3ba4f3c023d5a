package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.Pipeline;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.spi.RunListener;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import io.tapline.internal.targets.duckdb.DuckDbTargetConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tapline as a library: a pipeline built and run from Java code, no project file, no CLI. */
class EmbeddingIT {
    @TempDir Path dir;

    @Test
    void pipelineBuiltInJavaRunsTwiceAndTheSecondRunResumesFromItsState() {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        DuckDbTargetConfig warehouse = DuckDbTarget.file(dir.resolve("app.duckdb")).schema("raw").build();
        List<String> events = new ArrayList<>();
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("counting-tap").command(tap).environment(Map.of("LAST_ID", "5",
                        "KEY_PROPERTIES", "[\"id\"]")).build())
                .target(allocator -> DuckDbTarget.open(warehouse, allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .stateId("app:counting")
                .listener(new RunListener() {
                    @Override
                    public void stateCommitted(StateBlob state, long rowsCommitted) {
                        events.add("committed " + rowsCommitted + " " + state.json());
                    }
                })
                .build();

        RunResult first = pipeline.run();
        assertThat(first.rowsWritten()).isEqualTo(5);
        assertThat(first.rowsPerStream()).containsExactly(Map.entry(StreamName.of("items"), 5L));
        assertThat(first.finalState()).contains(new StateBlob("{\"bookmarks\":{\"items\":{\"last_id\":5}}}"));
        assertThat(events).last().isEqualTo("committed 5 {\"bookmarks\":{\"items\":{\"last_id\":5}}}");

        RunResult second = pipeline.run(); // same immutable pipeline: resumes, nothing left to load
        assertThat(second.rowsWritten()).isZero();
        assertThat(Duck.count(dir.resolve("app.duckdb"), "raw.items")).isEqualTo(5);
    }
}
