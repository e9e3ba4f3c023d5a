package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.Pipeline;
import io.tapline.RunHandle;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.spi.TaplineException;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateStore;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.Target;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API's asynchronous form, its listener, and caller-side Arrow consumers and state stores. */
class EmbeddingAsyncIT {
    @TempDir Path dir;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void startedRunIsAwaitedThroughItsHandleOnTheCallersExecutor() {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("counting-tap").command(tap).env("LAST_ID", "8").build())
                .target(allocator -> DuckDbTarget.open(DuckDbTarget.file(dir.resolve("w.duckdb")).build(), allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .build();

        try (RunHandle run = pipeline.start(executor)) {
            Optional<RunResult> result = run.await(Duration.ofMinutes(2));
            assertThat(result).hasValueSatisfying(r -> assertThat(r.rowsWritten()).isEqualTo(8));
            assertThat(run.isDone()).isTrue();
        }
        assertThat(Duck.count(dir.resolve("w.duckdb"), "items")).isEqualTo(8);
    }

    @Test
    void cancelStopsTheTapCommitsWhatCameBeforeItsLastStateAndTellsTheListener() throws Exception {
        Path tap = dir.resolve("hanging-tap.sh");
        Files.writeString(tap, """
                #!/usr/bin/env bash
                echo '{"type":"SCHEMA","stream":"items","schema":{"properties":{"id":{"type":"integer"}}},"key_properties":[]}'
                for i in 1 2 3; do echo "{\\"type\\":\\"RECORD\\",\\"stream\\":\\"items\\",\\"record\\":{\\"id\\":$i}}"; done
                echo '{"type":"STATE","value":{"last_id":3}}'
                echo '{"type":"RECORD","stream":"items","record":{"id":4}}'
                exec sleep 600
                """);
        tap.toFile().setExecutable(true);
        CountDownLatch handedOver = new CountDownLatch(1);
        List<RuntimeException> failures = new CopyOnWriteArrayList<>();
        FileStateStore states = FileStateStore.at(dir.resolve("state"));
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("hanging-tap").command(tap).build())
                .target(allocator -> DuckDbTarget.open(DuckDbTarget.file(dir.resolve("w.duckdb")).build(), allocator))
                .stateStore(states)
                .stateId("hanging")
                .listener(new RunListener() {
                    @Override
                    public void rowsWritten(StreamName stream, long rows) {
                        handedOver.countDown(); // at the STATE: ids 1-3 are with the target
                    }

                    @Override
                    public void runFailed(RuntimeException failure) {
                        failures.add(failure);
                    }
                })
                .build();

        RunHandle run = pipeline.start(executor);
        assertThat(handedOver.await(2, TimeUnit.MINUTES)).isTrue();
        run.cancel();

        assertThatThrownBy(run::await).isInstanceOf(TaplineException.class)
                .hasMessageContaining("was cancelled")
                .satisfies(e -> assertThat(((TaplineException) e).errorCode()).isEqualTo(ErrorCode.INTERRUPTED))
                .hasCauseInstanceOf(PluginFailedException.class);
        run.close();
        run.close(); // idempotent
        assertThat(failures).hasSize(1);
        assertThat(states.read("hanging")).contains(new StateBlob("{\"last_id\":3}"));
        assertThat(Duck.count(dir.resolve("w.duckdb"), "items")).isEqualTo(3); // id 4 came after the last STATE
    }

    @Test
    void runCancelledBeforeTheExecutorStartedItNeverStarts() throws Exception {
        Path marker = dir.resolve("started");
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            try {
                release.await(1, TimeUnit.MINUTES); // keeps the single thread busy
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("touch").command(List.of("touch", marker.toString())).build())
                .target(allocator -> DuckDbTarget.open(DuckDbTarget.file(dir.resolve("w.duckdb")).build(), allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .build();

        RunHandle run = pipeline.start(executor);
        run.close();
        release.countDown();
        executor.shutdown();
        assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        assertThat(run.isDone()).isTrue();
        assertThat(marker).doesNotExist();
    }

    @Test
    void callerConsumesArrowBatchesAndPublishesOnlyWhatTheCommitRuleAllows() {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        InAppCache cache = new InAppCache();
        MemoryStateStore states = new MemoryStateStore();
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("counting-tap").command(tap).env("LAST_ID", "10").env("CRASH_AT_ID", "8").build())
                .target(allocator -> cache.target())
                .stateStore(states)
                .stateId("cache")
                .build();

        assertThatThrownBy(pipeline::run).isInstanceOf(PluginFailedException.class);
        // STATEs came after ids 3 and 6; 7 was handed over but never flushed, so never published
        assertThat(cache.published).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(states.read("cache")).contains(new StateBlob("{\"bookmarks\":{\"items\":{\"last_id\":6}}}"));
    }

    /** An in-app cache fed with Arrow batches: rows are staged on write and published on flush. */
    private static final class InAppCache {
        final List<Long> published = new CopyOnWriteArrayList<>();

        Target target() {
            List<Long> staged = new ArrayList<>();
            return new Target() {
                @Override
                public void open(StreamSchema schema) {}

                @Override
                public void write(StreamSchema schema, VectorSchemaRoot batch) {
                    BigIntVector ids = (BigIntVector) batch.getVector("id"); // borrowed: copy out what we keep
                    for (int i = 0; i < batch.getRowCount(); i++) {
                        staged.add(ids.get(i));
                    }
                }

                @Override
                public void flush() {
                    published.addAll(staged);
                    staged.clear();
                }

                @Override
                public void abort() {
                    staged.clear(); // never published: the run's state was not committed for these
                }

                @Override
                public void close() {
                    staged.clear();
                }
            };
        }
    }

    /** A custom state store through the SPI. */
    private static final class MemoryStateStore implements StateStore {
        private final Map<String, StateBlob> states = new ConcurrentHashMap<>();

        @Override
        public Optional<StateBlob> read(String stateId) { return Optional.ofNullable(states.get(stateId)); }

        @Override
        public void save(String stateId, StateBlob state, StateWriteMode mode) { states.put(stateId, state); }

        @Override
        public void clear(String stateId) { states.remove(stateId); }
    }
}
