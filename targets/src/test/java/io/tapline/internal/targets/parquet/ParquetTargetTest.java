package io.tapline.internal.targets.parquet;

import io.tapline.internal.targets.testing.SingerFeed;
import static io.tapline.internal.targets.testing.SingerFeed.record;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.ConfigException;
import io.tapline.spi.TargetException;
import io.tapline.internal.targets.parquet.ParquetTargetConfig.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = SECONDS)
class ParquetTargetTest {
    private static final String STREAM = "Public-Users.v2";
    private static final String ALL_TYPES_SCHEMA = """
            {"type":"SCHEMA","stream":"Public-Users.v2","key_properties":[],"schema":{"type":"object","properties":{\
            "id":{"type":"integer"},\
            "score":{"type":["number","null"]},\
            "active":{"type":"boolean"},\
            "name":{"type":["string","null"]},\
            "updated_at":{"type":"string","format":"date-time"},\
            "birthday":{"type":"string","format":"date"},\
            "wake_up":{"type":"string","format":"time"},\
            "profile":{"type":"object","properties":{"city":{"type":"string"}}},\
            "tags":{"type":"array","items":{"type":"string"}}}}}""";
    private static final String SIMPLE_SCHEMA = """
            {"type":"SCHEMA","stream":"events","key_properties":[],"schema":{"type":"object","properties":{\
            "id":{"type":"integer"},"country":{"type":"string"}}}}""";

    @TempDir
    Path dir;

    private RootAllocator allocator;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void closeAllocator() {
        allocator.close(); // throws "Memory was leaked" if any Arrow buffer outlived the test
    }

    private ParquetTarget openTarget() {
        return ParquetTarget.open(ParquetTarget.at(dir).build(), allocator);
    }

    @Test
    void everyColumnTypeRoundTripsThroughParquetIntoFolderNamedAfterTable() throws Exception {
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1000)) {
            feed.lines(ALL_TYPES_SCHEMA,
                    record(STREAM, """
                            {"id":1,"score":3.5,"active":true,"name":"Ada","updated_at":"2024-05-01T12:30:00.123456Z",\
                            "birthday":"1815-12-10","wake_up":"06:30:15.250",\
                            "profile":{"city":"London","zip":null},"tags":["a","b"]}"""),
                    record(STREAM, """
                            {"id":-9223372036854775808,"score":-0.25,"active":false,\
                            "name":"Καλημέρα 🌍 \\"q\\" \\u0000 end","updated_at":"2024-05-01T14:30:00+02:00",\
                            "birthday":"2000-02-29","wake_up":"23:59:59.999999","profile":{},"tags":[]}"""),
                    record(STREAM, """
                            {"id":9223372036854775807,"score":null,"name":null}"""))
                    .endBatches();
            target.flush();
        }
        Path folder = dir.resolve("public_users_v2");
        assertThat(parquetFiles(folder)).hasSize(1);
        String source = "read_parquet('" + folder + "/*.parquet')";

        assertThat(columnTypes(source)).containsExactly(
                Map.entry("id", "BIGINT"), Map.entry("score", "DOUBLE"), Map.entry("active", "BOOLEAN"),
                Map.entry("name", "VARCHAR"), Map.entry("updated_at", "TIMESTAMP WITH TIME ZONE"),
                Map.entry("birthday", "DATE"), Map.entry("wake_up", "TIME"), Map.entry("profile", "JSON"),
                Map.entry("tags", "JSON"));
        assertThat(rows("SELECT id, score, active, name, epoch_us(updated_at), CAST(birthday AS VARCHAR),"
                + " CAST(wake_up AS VARCHAR), CAST(profile AS VARCHAR), CAST(tags AS VARCHAR) FROM " + source
                + " ORDER BY id"))
                .containsExactly(
                        Arrays.asList(Long.MIN_VALUE, -0.25, false, "Καλημέρα 🌍 \"q\" \u0000 end",
                                1_714_566_600_000_000L, "2000-02-29", "23:59:59.999999", "{}", "[]"),
                        Arrays.asList(1L, 3.5, true, "Ada", 1_714_566_600_123_456L, "1815-12-10", "06:30:15.25",
                                "{\"city\":\"London\",\"zip\":null}", "[\"a\",\"b\"]"),
                        Arrays.asList(Long.MAX_VALUE, null, null, null, null, null, null, null, null));
    }

    @Test
    void nothingIsVisibleUnderAFinalNameBeforeFlush() throws Exception {
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 2)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"),
                    record("events", "{\"id\":2,\"country\":\"DE\"}"),
                    record("events", "{\"id\":3,\"country\":\"DE\"}")).endBatches();
            Path folder = dir.resolve("events");
            assertThat(parquetFiles(folder)).isEmpty();
            assertThat(allFiles(folder)).hasSize(2).allSatisfy(p -> {
                assertThat(p.getFileName().toString()).startsWith(".part-").endsWith(".parquet.tmp");
            });

            target.flush();

            assertThat(parquetFiles(folder)).hasSize(2);
            assertThat(allFiles(folder)).hasSize(2);
            assertThat(value("SELECT count(*) FROM read_parquet('" + folder + "/*.parquet')")).isEqualTo(3L);
        }
    }

    @Test
    void closeWithoutFlushLeavesNoFiles() throws Exception {
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"),
                    record("events", "{\"id\":2,\"country\":\"DE\"}"));
            target.flush();
            feed.lines(record("events", "{\"id\":3,\"country\":\"NL\"}"));
            assertThat(allFiles(dir.resolve("events"))).hasSize(3);
        }
        assertThat(allFiles(dir.resolve("events"))).hasSize(2).allSatisfy(p ->
                assertThat(p.getFileName().toString()).startsWith("part-").endsWith(".parquet"));
        assertThat(value("SELECT max(id) FROM read_parquet('" + dir.resolve("events") + "/*.parquet')")).isEqualTo(2L);
    }

    @Test
    void abortDeletesThePartsNoFlushPublished() throws Exception {
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"));
            target.flush();
            feed.lines(record("events", "{\"id\":2,\"country\":\"DE\"}"));
            target.abort();
            assertThat(allFiles(dir.resolve("events"))).hasSize(1);
        }
        assertThat(value("SELECT max(id) FROM read_parquet('" + dir.resolve("events") + "/*.parquet')")).isEqualTo(1L);
    }

    @Test
    void eachFlushAddsFilesAndASecondTargetNeverTouchesCommittedOnes() throws Exception {
        Path folder = dir.resolve("events");
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}")).endBatches();
            target.flush();
            feed.lines(record("events", "{\"id\":2,\"country\":\"DE\"}")).endBatches();
            target.flush();
            target.flush(); // nothing new: no new file
        }
        Map<Path, byte[]> firstRun = contents(folder);
        assertThat(firstRun).hasSize(2);

        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":3,\"country\":\"FR\"}")).endBatches();
            target.flush();
        }
        Map<Path, byte[]> secondRun = contents(folder);
        assertThat(secondRun).hasSize(3).containsKeys(firstRun.keySet().toArray(Path[]::new));
        firstRun.forEach((file, bytes) -> assertThat(secondRun.get(file)).isEqualTo(bytes));
        assertThat(rows("SELECT id FROM read_parquet('" + folder + "/*.parquet') ORDER BY id"))
                .containsExactly(List.of(1L), List.of(2L), List.of(3L));
    }

    @Test
    void compressionIsZstdByDefaultAndConfigurable() throws Exception {
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}")).endBatches();
            target.flush();
        }
        Path other = dir.resolve("snappy");
        try (ParquetTarget target = ParquetTarget.open(
                ParquetTarget.at(other).compression(Compression.parse("Snappy")).build(), allocator);
                SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}")).endBatches();
            target.flush();
        }
        assertThat(value("SELECT string_agg(DISTINCT compression) FROM parquet_metadata('"
                + dir.resolve("events") + "/*.parquet')")).isEqualTo("ZSTD");
        assertThat(value("SELECT string_agg(DISTINCT compression) FROM parquet_metadata('"
                + other.resolve("events") + "/*.parquet')")).isEqualTo("SNAPPY");
    }

    @Test
    void unknownCompressionIsAConfigError() {
        assertThatThrownBy(() -> Compression.parse("lzo")).isInstanceOf(ConfigException.class).hasMessageContaining("lzo");
        assertThat(Compression.parse("none")).isEqualTo(Compression.UNCOMPRESSED);
    }

    @Test
    void partitionByWritesHiveFoldersPublishedOnlyOnFlush() throws Exception {
        Path folder = dir.resolve("events");
        try (ParquetTarget target = ParquetTarget.open(ParquetTarget.at(dir).partitionBy("country").build(), allocator);
                SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"),
                    record("events", "{\"id\":2,\"country\":\"DE\"}"),
                    record("events", "{\"id\":3,\"country\":\"NL\"}")).endBatches();
            assertThat(parquetFiles(folder)).isEmpty();
            target.flush();
        }
        assertThat(parquetFiles(folder)).extracting(p -> folder.relativize(p.getParent()).toString())
                .containsExactlyInAnyOrder("country=DE", "country=NL");
        assertThat(allFiles(folder)).hasSize(2); // the temporary tree is gone
        assertThat(rows("SELECT country, list_sort(list(id)) FROM read_parquet('" + folder
                + "/*/*.parquet', hive_partitioning = true) GROUP BY country ORDER BY country").toString())
                .isEqualTo("[[DE, [2]], [NL, [1, 3]]]");
    }

    @Test
    void streamsWithoutThePartitionColumnAreWrittenUnpartitioned() throws Exception {
        try (ParquetTarget target = ParquetTarget.open(ParquetTarget.at(dir).partitionBy("region").build(), allocator);
                SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}")).endBatches();
            target.flush();
        }
        assertThat(parquetFiles(dir.resolve("events"))).singleElement()
                .satisfies(p -> assertThat(p.getParent()).isEqualTo(dir.resolve("events")));
    }

    @Test
    void aSchemaChangeStartsFilesWithTheNewColumns() throws Exception {
        Path folder = dir.resolve("events");
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"),
                    """
                    {"type":"SCHEMA","stream":"events","key_properties":[],"schema":{"type":"object","properties":{\
                    "id":{"type":"integer"},"country":{"type":"string"},"extra":{"type":"boolean"}}}}""",
                    record("events", "{\"id\":2,\"extra\":true}")).endBatches();
            target.flush();
        }
        assertThat(parquetFiles(folder)).hasSize(2);
        assertThat(rows("SELECT id, country, extra FROM read_parquet('" + folder
                + "/*.parquet', union_by_name = true) ORDER BY id"))
                .containsExactly(Arrays.asList(1L, "NL", null), Arrays.asList(2L, null, true));
    }

    @Test
    void aFailedWriteFailsTheNextFlushAndLeavesNothingBehind() throws Exception {
        Path folder = dir.resolve("events");
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"));
            target.flush();
            feed.lines(record("events", "{\"id\":2,\"country\":\"NL\"}"));
            Path moved = dir.resolve("moved");
            Files.move(folder, moved);
            Files.writeString(folder, "not a folder");
            assertThatThrownBy(() -> feed.lines(record("events", "{\"id\":3,\"country\":\"DE\"}")))
                    .isInstanceOf(TargetException.class).hasMessageContaining("events");
            assertThatThrownBy(target::flush).isInstanceOf(TargetException.class);
            Files.delete(folder);
            Files.move(moved, folder);
        }
        assertThat(allFiles(folder)).hasSize(1);
        assertThat(value("SELECT max(id) FROM read_parquet('" + folder + "/*.parquet')")).isEqualTo(1L);
    }

    @Test
    void manyFullBatchesBecomeOneFileEachWithoutLeaking() throws Exception {
        int batchRows = 65_536;
        int rows = 300_000;
        Path folder = dir.resolve("events");
        long start = System.nanoTime();
        try (ParquetTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, batchRows)) {
            feed.lines("""
                    {"type":"SCHEMA","stream":"events","key_properties":[],"schema":{"type":"object","properties":{\
                    "id":{"type":"integer"},"amount":{"type":"number"},"label":{"type":"string"}}}}""");
            String[] chunk = new String[10_000];
            for (int base = 0; base < rows; base += chunk.length) {
                for (int j = 0; j < chunk.length; j++) {
                    int i = base + j;
                    chunk[j] = record("events", "{\"id\":" + i + ",\"amount\":" + (i % 1000) + ".5,\"label\":\"row "
                            + i + "\"}");
                }
                feed.lines(chunk);
            }
            feed.endBatches();
            target.flush();
        }
        System.out.printf("ParquetTargetTest: %,d rows parsed and written in %,d ms%n", rows,
                (System.nanoTime() - start) / 1_000_000);
        assertThat(parquetFiles(folder)).hasSize((rows + batchRows - 1) / batchRows);
        assertThat(rows("SELECT count(*), count(DISTINCT id), sum(id)::BIGINT, count(*) FILTER (WHERE label = 'row ' || id)"
                + " FROM read_parquet('" + folder + "/*.parquet')"))
                .containsExactly(List.of((long) rows, (long) rows, (long) rows * (rows - 1) / 2, (long) rows));
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        ParquetTarget target = openTarget();
        target.close();
        assertThatCode(target::close).doesNotThrowAnyException();
        assertThatThrownBy(target::flush).isInstanceOf(IllegalStateException.class);
    }

    private static List<Path> parquetFiles(Path folder) throws IOException {
        return allFiles(folder).stream().filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
    }

    private static List<Path> allFiles(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static Map<Path, byte[]> contents(Path folder) throws IOException {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        for (Path p : parquetFiles(folder)) {
            out.put(p, Files.readAllBytes(p));
        }
        return out;
    }

    private static Map<String, String> columnTypes(String source) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        for (List<Object> row : rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM " + source + ")")) {
            out.put((String) row.get(0), (String) row.get(1));
        }
        return out;
    }

    private static Object value(String sql) throws SQLException {
        List<List<Object>> rows = rows(sql);
        assertThat(rows).hasSize(1);
        return rows.get(0).get(0);
    }

    /** Every row of {@code sql} run on a fresh in-memory DuckDB: what a reader of the dataset sees. */
    private static List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof java.sql.Array a ? Arrays.asList((Object[]) a.getArray()) : v);
                }
                out.add(row);
            }
        }
        return out;
    }
}
