package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.it.support.TestEnv;
import io.tapline.it.support.TestTaps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target-parquet and target-jsonl in meltano.yml are served by tapline's own targets. */
class OtherLoadersIT {
    @TempDir Path dir;

    @Test
    void parquetLoaderWritesAPartFilePerRunReadableByDuckDb() throws Exception {
        writeProject("target-parquet", "destination_path: lake");
        Project project = Project.open(dir, TestEnv.projectEnv());
        assertThat(project.pipeline("counting-tap", "target-parquet", RunOptions.defaults()).run().rowsWritten()).isEqualTo(10);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), sum(id), min(name) FROM read_parquet('"
                     + dir.resolve("lake/items") + "/*.parquet')")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(10);
            assertThat(rs.getLong(2)).isEqualTo(55);
            assertThat(rs.getString(3)).isEqualTo("item 1");
        }
    }

    @Test
    void jsonlLoaderAppendsOneObjectPerRecord() throws Exception {
        writeProject("target-jsonl", "destination_path: out");
        Project project = Project.open(dir, TestEnv.projectEnv());
        project.pipeline("counting-tap", "target-jsonl", RunOptions.defaults()).run();
        List<String> lines = Files.readAllLines(dir.resolve("out/items.jsonl"));
        assertThat(lines).hasSize(10);
        List<Long> ids = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            ids.add(json.readTree(line).get("id").asLong());
        }
        assertThat(ids).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    private void writeProject(String loader, String setting) throws Exception {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: counting-tap
                      executable: %s
                  loaders:
                    - name: %s
                      config:
                        %s
                """.formatted(tap, loader, setting));
    }
}
