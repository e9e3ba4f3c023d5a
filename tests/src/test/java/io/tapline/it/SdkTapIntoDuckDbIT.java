package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real SDK tap from PyPI (tap-jsonl), installed by tapline, reading files this test writes, into DuckDB. */
class SdkTapIntoDuckDbIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void tapJsonlLoadsEveryValueWithItsTypeIntoATablePerStream() throws Exception {
        List<String> lines = List.of(
                "{\"id\": 1, \"name\": \"Ada\", \"score\": 9.5, \"active\": true, \"signup_date\": \"2024-01-05\","
                        + " \"last_seen\": \"2024-03-01T10:15:30+00:00\", \"tags\": [\"a\", \"b\"],"
                        + " \"address\": {\"city\": \"Paris\", \"zip\": \"75001\"}}",
                "{\"id\": 2, \"name\": \"Zoë \\\"Z\\\" 😀\", \"score\": 7, \"active\": false, \"signup_date\": \"2023-12-31\","
                        + " \"last_seen\": \"2024-02-29T23:59:59.123456+00:00\", \"tags\": [],"
                        + " \"address\": {\"city\": \"Zürich\", \"zip\": null}}",
                "{\"id\": 3, \"name\": null, \"score\": -0.25, \"active\": true, \"signup_date\": \"2020-02-29\","
                        + " \"last_seen\": \"1999-12-31T23:00:00+00:00\", \"tags\": [\"x\"], \"address\": {\"city\": \"Oslo\"}}");
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/users.jsonl"), lines);
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: test
                plugins:
                  extractors:
                    - name: tap-jsonl
                      config:
                        path: data/*.jsonl
                        stream_name: users
                  loaders:
                    - name: target-duckdb
                      config:
                        filepath: out.duckdb
                        default_target_schema: raw
                """);

        Project project = Project.open(dir, TestEnv.projectEnv());
        RunResult result = project.pipeline("tap-jsonl", "target-duckdb", RunOptions.defaults()).run();

        Path db = dir.resolve("out.duckdb");
        assertThat(result.rowsWritten()).isEqualTo(lines.size());
        assertThat(result.stateId()).isEqualTo("test:tap-jsonl-to-target-duckdb");
        assertThat(Duck.columnTypes(db, "raw", "users")).containsAllEntriesOf(Map.of(
                "id", "BIGINT", "name", "VARCHAR", "score", "DOUBLE", "active", "BOOLEAN",
                "signup_date", "DATE", "last_seen", "TIMESTAMP WITH TIME ZONE", "tags", "JSON", "address", "JSON"));

        List<Map<String, Object>> rows = Duck.query(db, "SELECT * FROM raw.users ORDER BY id");
        assertThat(rows).hasSize(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode in = JSON.readTree(lines.get(i));
            Map<String, Object> row = rows.get(i);
            assertThat(row.get("id")).isEqualTo(in.get("id").asLong());
            assertThat(row.get("name")).isEqualTo(in.get("name").isNull() ? null : in.get("name").asText());
            assertThat((Double) row.get("score")).isEqualTo(in.get("score").asDouble());
            assertThat(row.get("active")).isEqualTo(in.get("active").asBoolean());
            assertThat(toLocalDate(row.get("signup_date"))).isEqualTo(LocalDate.parse(in.get("signup_date").asText()));
            assertThat(((OffsetDateTime) row.get("last_seen")).toInstant())
                    .isEqualTo(OffsetDateTime.parse(in.get("last_seen").asText()).toInstant());
            assertThat(JSON.readTree(row.get("tags").toString())).isEqualTo(in.get("tags"));
            assertThat(JSON.readTree(row.get("address").toString())).isEqualTo(in.get("address"));
        }
        // the tap's own metadata column is typed too
        assertThat(Duck.columnTypes(db, "raw", "users")).containsEntry("_sdc_filename", "VARCHAR");
        assertThat(project.stateStore().read(result.stateId())).isEqualTo(result.finalState());
        assertThat(result.finalState()).isPresent();
        List<String> streams = new ArrayList<>(result.rowsPerStream().keySet().stream().map(Object::toString).toList());
        assertThat(streams).containsExactly("users");
    }

    private static LocalDate toLocalDate(Object value) {
        return value instanceof Date d ? d.toLocalDate() : (LocalDate) value;
    }
}
