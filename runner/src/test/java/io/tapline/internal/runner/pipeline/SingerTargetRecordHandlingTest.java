package io.tapline.internal.runner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.PipelineOptions;
import io.tapline.spi.ProtocolException;
import io.tapline.internal.runner.project.Loaders;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DuckDB target's record settings, driven as `tapline target duckdb --config` drives them. */
class SingerTargetRecordHandlingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"type":"SCHEMA","stream":"users","key_properties":["id"],"schema":{"type":"object","properties":{\
            "id":{"type":"integer"},"name":{"type":["null","string"]},\
            "address":{"type":["null","object"],"properties":{"city":{"type":"string"},\
            "geo":{"type":"object","properties":{"lat":{"type":"number"}}}}}}}}
            """;

    @TempDir Path dir;

    @Test
    void hardDeleteActivateVersionRemovesRowsOfOlderVersionsAndRowsWithout() throws Exception {
        run(settings().put("hard_delete", true), SCHEMA
                + record(1, "a", 5) + record(2, "b", 5) + activate(5));
        run(settings().put("hard_delete", true), SCHEMA
                + activate(6) + record(1, "a2", 6) + record(3, "c", 6) + record(9, "old", 5) + activate(6));
        assertThat(query("SELECT id, name, _sdc_table_version FROM users ORDER BY id"))
                .containsExactly(List.of(1L, "a2", 6L), List.of(3L, "c", 6L));
    }

    @Test
    void softDeleteActivateVersionMarksRowsOfOlderVersionsOnly() throws Exception {
        run(settings(), SCHEMA + activate(5) + record(1, "a", 5) + record(2, "b", 5) + activate(5));
        run(settings(), SCHEMA + activate(6) + record(1, "a2", 6) + activate(6));
        assertThat(query("SELECT id, _sdc_deleted_at IS NOT NULL FROM users ORDER BY id"))
                .containsExactly(List.of(1L, false), List.of(2L, true));
    }

    @Test
    void activateVersionIsIgnoredWhenTheSettingTurnsItOff() throws Exception {
        run(settings().put("process_activate_version_messages", false), SCHEMA + record(1, "a", 5) + activate(6));
        assertThat(query("SELECT count(*) FROM information_schema.columns WHERE column_name LIKE '\\_sdc%' ESCAPE '\\'"))
                .containsExactly(List.of(0L));
        assertThat(query("SELECT count(*) FROM users")).containsExactly(List.of(1L));
    }

    @Test
    void addMetadataColumnsFillsEverySdcColumn() throws Exception {
        run(settings().put("add_metadata_columns", true), SCHEMA + record(1, "a", 7) + record(2, "b", 7));
        assertThat(query("""
                SELECT id, strftime(_sdc_extracted_at, '%Y-%m-%d %H:%M:%S'), _sdc_received_at IS NOT NULL,
                       _sdc_batched_at >= _sdc_received_at, _sdc_deleted_at, _sdc_table_version
                FROM users ORDER BY id"""))
                .containsExactly(Arrays.asList(1L, "2024-01-02 03:04:05", true, true, null, 7L),
                        Arrays.asList(2L, "2024-01-02 03:04:05", true, true, null, 7L));
        assertThat(query("SELECT (max(_sdc_sequence) - min(_sdc_sequence)) FROM users")).containsExactly(List.of(1L));
    }

    @Test
    void flatteningTurnsNestedObjectsIntoDoubleUnderscoreColumnsDownToTheMaxDepth() throws Exception {
        String input = SCHEMA + """
                {"type":"RECORD","stream":"users","record":{"id":1,"address":{"city":"Oslo","geo":{"lat":59.9}}}}
                {"type":"RECORD","stream":"users","record":{"id":2,"address":null}}
                """;
        run(settings().put("flattening_enabled", true).put("flattening_max_depth", 1), input);
        assertThat(query("SELECT id, address__city, address__geo::VARCHAR FROM users ORDER BY id"))
                .containsExactly(List.of(1L, "Oslo", "{\"lat\":59.9}"), Arrays.asList(2L, null, null));
    }

    @Test
    void targetDuckdbFlatteningLevelFlattensEveryLevel() throws Exception {
        String input = SCHEMA + """
                {"type":"RECORD","stream":"users","record":{"id":1,"address":{"city":"Oslo","geo":{"lat":59.9}}}}
                """;
        run(settings().put("data_flattening_max_level", 5), input);
        assertThat(query("SELECT address__city, address__geo__lat FROM users")).containsExactly(List.of("Oslo", 59.9));
    }

    @Test
    void appendOnlyKeepsEveryRecordOfAKey() throws Exception {
        run(settings().put("load_method", "append-only"), SCHEMA + record(1, "a", 1) + record(1, "b", 1));
        assertThat(query("SELECT name FROM users ORDER BY name")).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void overwriteEmptiesTheTableOnceAtTheStartOfARun() throws Exception {
        run(settings(), SCHEMA + record(1, "a", 1) + record(2, "b", 1));
        run(settings().put("load_method", "overwrite"), SCHEMA + record(3, "c", 1) + SCHEMA + record(4, "d", 1));
        assertThat(query("SELECT id FROM users ORDER BY id")).containsExactly(List.of(3L), List.of(4L));
    }

    @Test
    void strictValidationFailsNamingStreamRecordNumberFieldAndRule() {
        String input = """
                {"type":"SCHEMA","stream":"users","key_properties":[],"schema":{"type":"object","required":["id"],\
                "properties":{"id":{"type":"integer"},"name":{"type":"string","maxLength":3}}}}
                {"type":"RECORD","stream":"users","record":{"id":1,"name":"abc"}}
                {"type":"RECORD","stream":"users","record":{"id":2,"name":"secret-value"}}
                """;
        assertThatThrownBy(() -> run(settings().put("validation", "strict"), input))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("record 2 of stream 'users'")
                .hasMessageContaining("name")
                .hasMessageContaining("rule 'maxLength'")
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void validateRecordsCatchesAMissingRequiredProperty() {
        String input = """
                {"type":"SCHEMA","stream":"users","key_properties":[],"schema":{"type":"object","required":["id"],\
                "properties":{"id":{"type":"integer"},"name":{"type":"string"}}}}
                {"type":"RECORD","stream":"users","record":{"name":"x"}}
                """;
        assertThatThrownBy(() -> run(settings().put("validate_records", true), input))
                .hasMessageContaining("record 1 of stream 'users'").hasMessageContaining("rule 'required'");
    }

    @Test
    void warnValidationLoadsTheRecordAnyway() throws Exception {
        String input = """
                {"type":"SCHEMA","stream":"users","key_properties":[],"schema":{"type":"object",\
                "properties":{"id":{"type":"integer","minimum":10},"price":{"type":"number"}}}}
                {"type":"RECORD","stream":"users","record":{"id":1,"price":1.50}}
                """;
        run(settings().put("validation", "warn"), input);
        assertThat(query("SELECT id, price FROM users")).containsExactly(List.of(1L, 1.5));
    }

    @Test
    void batchMessagesLoadGzipAndPlainJsonlAndParquetFilesLikeRecords() throws Exception {
        Path gz = dir.resolve("part1.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
            out.write("{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        Path plain = dir.resolve("part2.jsonl");
        java.nio.file.Files.writeString(plain, "{\"id\":3,\"name\":\"c\"}\n");
        Path parquet = dir.resolve("part3.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 4::BIGINT AS id, 'd' AS name UNION ALL SELECT 2, 'b2') TO '" + parquet
                    + "' (FORMAT parquet)");
        }
        String emitted = run(settings(), SCHEMA
                + batch("jsonl", "gzip", gz) + batch("jsonl", "none", plain) + batch("parquet", "none", parquet)
                + "{\"type\":\"STATE\",\"value\":{\"done\":true}}\n");
        assertThat(query("SELECT id, name FROM users ORDER BY id"))
                .containsExactly(List.of(1L, "a"), List.of(2L, "b2"), List.of(3L, "c"), List.of(4L, "d"));
        assertThat(emitted).isEqualTo("{\"done\":true}\n");
    }

    @Test
    void aBatchFileThatIsMissingFailsNamingTheLineAndFile() {
        Path missing = dir.resolve("nope.jsonl.gz");
        assertThatThrownBy(() -> run(settings(), SCHEMA + batch("jsonl", "gzip", missing)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("line 2").hasMessageContaining("nope.jsonl.gz").hasMessageContaining("does not exist");
    }

    private static String batch(String format, String compression, Path file) {
        return "{\"type\":\"BATCH\",\"stream\":\"users\",\"encoding\":{\"format\":\"" + format + "\",\"compression\":\""
                + compression + "\"},\"manifest\":[\"" + file.toUri() + "\"]}\n";
    }

    @Test
    void warnSkipValidationLeavesOutTheRecordsThatBreakTheirSchema() throws Exception {
        String input = """
                {"type":"SCHEMA","stream":"users","key_properties":[],"schema":{"type":"object",\
                "properties":{"id":{"type":"integer","minimum":10}}}}
                {"type":"RECORD","stream":"users","record":{"id":1}}
                {"type":"RECORD","stream":"users","record":{"id":11}}
                """;
        run(settings().put("validation", "warn-skip"), input);
        assertThat(query("SELECT id FROM users")).containsExactly(List.of(11L));
    }

    // ------------------------------------------------------------------------------------------ helpers

    private ObjectNode settings() {
        return JSON.createObjectNode().put("filepath", dir.resolve("w.duckdb").toString());
    }

    private static String record(long id, String name, long version) {
        return "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":" + id + ",\"name\":\"" + name
                + "\"},\"version\":" + version + ",\"time_extracted\":\"2024-01-02T03:04:05Z\"}\n";
    }

    private static String activate(long version) {
        return "{\"type\":\"ACTIVATE_VERSION\",\"stream\":\"users\",\"version\":" + version + "}\n";
    }

    private String run(ObjectNode settings, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SingerTargetRun(Loaders.forLoader("duckdb", settings, dir), PipelineOptions.defaults(),
                new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    private List<List<Object>> query(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
             Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof Integer x ? Long.valueOf(x) : v);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
