package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import io.tapline.spi.StreamName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code airbyte-source-file} from PyPI reads a CSV the test writes; tapline loads it into DuckDB. */
class AirbyteSourceFileIT {
    private static final int ROWS = 1_000;

    @TempDir Path dir;

    @Test
    @Timeout(900) // the first install downloads the connector and pandas
    void csvFileLoadsIntoDuckDbWithEveryRowAndValue() throws Exception {
        StringBuilder csv = new StringBuilder("id,name,amount\n");
        long amountSum = 0;
        for (int i = 1; i <= ROWS; i++) {
            csv.append(i).append(",name-").append(i).append(',').append(i % 17).append('\n');
            amountSum += i % 17;
        }
        Path file = dir.resolve("people.csv");
        Files.writeString(file, csv);
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                plugins:
                  extractors:
                    - name: source-file
                      protocol: airbyte
                      pip_url: airbyte-source-file==0.5.39
                      executable: source-file
                      config: {dataset_name: people, format: csv, url: "%s", provider: {storage: local}}
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                      config: {filepath: files.duckdb, default_target_schema: raw}
                """.formatted(file));

        RunResult result = Project.open(dir, TestEnv.projectEnv())
                .pipeline("source-file", "target-duckdb", RunOptions.defaults()).run();

        assertThat(result.rowsPerStream()).containsEntry(StreamName.of("people"), (long) ROWS);
        List<Map<String, Object>> agg = Duck.query(dir.resolve("files.duckdb"),
                "SELECT count(*) AS n, count(DISTINCT id) AS ids, sum(amount)::BIGINT AS total, "
                        + "count(*) FILTER (WHERE name = 'name-' || CAST(CAST(id AS BIGINT) AS VARCHAR)) AS named "
                        + "FROM raw.people");
        assertThat(agg.get(0)).containsEntry("n", (long) ROWS).containsEntry("ids", (long) ROWS)
                .containsEntry("total", amountSum).containsEntry("named", (long) ROWS);
    }
}
