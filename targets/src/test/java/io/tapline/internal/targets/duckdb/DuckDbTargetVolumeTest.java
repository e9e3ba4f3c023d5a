package io.tapline.internal.targets.duckdb;

import io.tapline.internal.targets.testing.SingerFeed;
import static io.tapline.internal.targets.duckdb.DuckDbTargetTest.record;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One stream in many full batches: every row arrives once and no buffer outlives the target. */
@Timeout(value = 300, unit = SECONDS)
class DuckDbTargetVolumeTest {
    private static final int BATCH_ROWS = 65_536;

    @TempDir
    Path dir;

    private RootAllocator allocator;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void millionRowsIn65kBatchesArriveOnceWithoutLeaking() throws Exception {
        long rows = 1_000_000;
        Path db = dir.resolve("warehouse.duckdb");
        long start = System.nanoTime();
        try (DuckDbTarget target = DuckDbTarget.open(DuckDbTarget.file(db).build(), allocator);
                SingerFeed feed = new SingerFeed(target, allocator, BATCH_ROWS)) {
            feed.lines("""
                    {"type":"SCHEMA","stream":"events","key_properties":[],"schema":{"type":"object","properties":{\
                    "id":{"type":"integer"},"amount":{"type":"number"},"label":{"type":"string"}}}}""");
            feed.input(SingerFeed.generated(rows,
                    i -> record("events", "{\"id\":" + i + ",\"amount\":" + (i % 1000) + ".5,\"label\":\"row " + i
                            + "\"}")))
                    .endBatches();
            target.flush();
            assertThat(feed.batchesWritten()).isEqualTo((rows + BATCH_ROWS - 1) / BATCH_ROWS);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("DuckDbTargetVolumeTest: %,d rows parsed and loaded in %,d ms%n", rows, millis);

        // sum(amount) = sum over i of (i % 1000 + 0.5): 1000 full cycles of 0..999 plus 0.5 per row
        double amount = 1000 * (999 * 1000 / 2.0) + rows * 0.5;
        assertThat(Db.rows(db, "SELECT count(*), count(DISTINCT id), sum(id)::BIGINT, sum(amount), "
                + "count(*) FILTER (WHERE label = 'row ' || id) FROM events"))
                .containsExactly(List.of(rows, rows, rows * (rows - 1) / 2, amount, rows));
    }
}
