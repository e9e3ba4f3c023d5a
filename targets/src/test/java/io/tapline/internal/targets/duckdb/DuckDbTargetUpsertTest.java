package io.tapline.internal.targets.duckdb;

import io.tapline.internal.targets.testing.SingerFeed;
import static io.tapline.internal.targets.duckdb.DuckDbTargetTest.record;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streams with key properties: the last record per key wins, wherever the duplicates fall. */
@Timeout(value = 300, unit = SECONDS)
class DuckDbTargetUpsertTest {
    /** meltano/sdk duplicate_records.singer as copied by target-postgres: ids 1,2,1,2,1; see PROVENANCE.md. */
    private static final Path DUPLICATE_RECORDS = fixture("MeltanoLabs__target-postgres/"
            + "target_postgres/tests/data_files/duplicate_records.singer");
    private static final int BATCH_ROWS = 65_536;

    @TempDir
    Path dir;

    /** {@code testdata/fixtures/<relative>} of this checkout (the repository root is the module's parent). */
    private static Path fixture(String relative) {
        Path f = Path.of("").toAbsolutePath().getParent().resolve("testdata/fixtures").resolve(relative);
        if (!java.nio.file.Files.isRegularFile(f)) {
            throw new IllegalStateException("fixture not found: " + f);
        }
        return f;
    }

    private RootAllocator allocator;
    private Path db;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
        db = dir.resolve("warehouse.duckdb");
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    private DuckDbTarget openTarget() {
        return DuckDbTarget.open(DuckDbTarget.file(db).build(), allocator);
    }

    /** 5 records in one batch; batches of 2 and 1 in one segment; one record per batch. */
    @ParameterizedTest(name = "batch of {0} rows")
    @ValueSource(ints = {1000, 2, 1})
    void duplicateRecordsFixtureKeepsLastRecordPerKey(int batchRows) throws Exception {
        try (DuckDbTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, batchRows)) {
            feed.file(DUPLICATE_RECORDS).endBatches();
            target.flush();
            assertThat(feed.rowsWritten()).isEqualTo(5);
        }

        assertThat(Db.rows(db, "SELECT id, metric FROM test_duplicate_records ORDER BY id"))
                .containsExactly(List.of(1L, 100L), List.of(2L, 20L));
    }

    @Test
    void duplicateRecordsAcrossFlushesKeepLastRecordPerKey() throws Exception {
        try (DuckDbTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1)) {
            feed.lines(schema("metrics"), metric(1, 1), metric(2, 2));
            target.flush();
            feed.lines(metric(1, 10));
            target.flush();
            feed.lines(metric(2, 20), metric(1, 100));
            target.flush();
        }
        try (DuckDbTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1)) {
            feed.lines(schema("metrics"), metric(2, 200), metric(3, 3)); // a later run against the existing table
            target.flush();
        }

        assertThat(Db.rows(db, "SELECT id, metric FROM metrics ORDER BY id"))
                .containsExactly(List.of(1L, 100L), List.of(2L, 200L), List.of(3L, 3L));
    }

    @Test
    void lastRecordPerKeyWinsOver200kRecordsInSeveralBatchesAndFlushes() throws Exception {
        int records = 200_000;
        int keys = 10_000;
        SplittableRandom random = new SplittableRandom(42);
        long[] ids = new long[records];
        Map<Long, Long> expected = new TreeMap<>();
        for (int i = 0; i < records; i++) {
            ids[i] = random.nextInt(keys);
            expected.put(ids[i], (long) i); // the metric is the record's position: last one wins
        }

        try (DuckDbTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, BATCH_ROWS)) {
            feed.lines(schema("metrics"));
            // two full batches and a partial one in the first transaction, one more batch after the flush
            feed.input(SingerFeed.generated(150_000, i -> metric(ids[(int) i], i))).endBatches();
            target.flush();
            feed.input(SingerFeed.generated(records - 150_000, i -> metric(ids[(int) (150_000 + i)], 150_000 + i)))
                    .endBatches();
            target.flush();
            assertThat(feed.batchesWritten()).isEqualTo(2 + 1 + 1);
        }

        List<List<Object>> rows = Db.rows(db, "SELECT id, metric FROM metrics ORDER BY id");
        List<List<Object>> want = new ArrayList<>();
        expected.forEach((id, metric) -> want.add(List.of(id, metric)));
        assertThat(rows).hasSize(expected.size()).isEqualTo(want);
    }

    private static String schema(String stream) {
        return """
                {"type":"SCHEMA","stream":"%s","key_properties":["id"],"schema":{"type":"object","properties":{\
                "id":{"type":"integer"},"metric":{"type":"integer"}}}}""".formatted(stream);
    }

    private static String metric(long id, long metric) {
        return record("metrics", "{\"id\":" + id + ",\"metric\":" + metric + "}");
    }
}
