package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import io.tapline.spi.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tapline target duckdb}: a Singer target any runner can pipe a tap into; STATE lines come back on stdout. */
@Timeout(120)
class SingerTargetModeIT {
    private static final String PG_DATA = "MeltanoLabs__target-postgres/target_postgres/tests/data_files/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void emitsOnlyCommittedInputStatesEndingWithTheLastAndLoadsEveryRecord() throws Exception {
        Path input = TestEnv.fixture(PG_DATA + "multiple_state_messages.singer");
        List<JsonNode> inputStates = new ArrayList<>();
        for (String line : Files.readAllLines(input)) {
            JsonNode m = JSON.readTree(line);
            if (m.path("type").asText().equals("STATE")) {
                inputStates.add(m.get("value"));
            }
        }
        Files.writeString(dir.resolve("cfg.json"), "{\"filepath\": \"out.duckdb\"}");

        Result r = target(input, "duckdb");

        assertThat(r.exit).isZero();
        List<JsonNode> emitted = new ArrayList<>();
        for (String line : r.stdout) {
            emitted.add(JSON.readTree(line));
        }
        assertThat(emitted).isNotEmpty().isSubsetOf(inputStates);
        assertThat(emitted.get(emitted.size() - 1)).isEqualTo(inputStates.get(inputStates.size() - 1));
        // PROVENANCE: target-postgres asserts 6 rows per table, a.id1 metric 100, b.id1 metric 110
        Path db = dir.resolve("out.duckdb");
        assertThat(Duck.count(db, "test_multiple_state_messages_a")).isEqualTo(6);
        assertThat(Duck.count(db, "test_multiple_state_messages_b")).isEqualTo(6);
        assertThat(Duck.query(db, "SELECT metric FROM test_multiple_state_messages_a WHERE id = 1").get(0).get("metric"))
                .isEqualTo(100L);
    }

    @Test
    void protocolErrorExitsNonZeroWithTheLineOnStderr() throws Exception {
        Files.writeString(dir.resolve("cfg.json"), "{\"filepath\": \"out.duckdb\"}");
        Result r = target(TestEnv.fixture(PG_DATA + "record_before_schema.singer"), "duckdb");
        assertThat(r.exit).isEqualTo(ErrorCode.RECORD_BEFORE_SCHEMA.exitCode());
        assertThat(r.stdout).isEmpty();
        assertThat(r.stderr).contains("line 1").contains("before its SCHEMA");
    }

    private Result target(Path input, String name) throws Exception {
        Process p = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "target", name, "--config", dir.resolve("cfg.json").toString()))
                .directory(dir.toFile())
                .redirectInput(input.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readAllLines(dir.resolve("stdout.txt")),
                Files.readString(dir.resolve("stderr.txt")));
    }

    private record Result(int exit, List<String> stdout, String stderr) {}
}
