package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.Pipeline;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import io.tapline.internal.runner.process.VirtualEnvs;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side by side with PyAirbyte ({@code airbyte} from PyPI, in its own venv): the same source-faker
 * executable and config (seed fixed, parallelism 1) read by tapline and by PyAirbyte into two DuckDB
 * files must give the same ids and row counts per stream. Both tools' records/s are printed.
 * PyAirbyte runs with {@code AIRBYTE_OFFLINE_MODE=1}: its connector registry is not reachable here,
 * and the connector is the local executable anyway.
 */
class AirbyteVsPyAirbyteIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAKER = "airbyte-source-faker==7.2.1";
    private static final int COUNT = 1_000;

    @TempDir Path dir;

    @Test
    @Timeout(1800) // the first PyAirbyte install is large (~180 packages)
    void tapLineAndPyAirbyteLoadTheSameIdsPerStream() throws Exception {
        VirtualEnvs venvs = new VirtualEnvs(TestEnv.venvCache());
        Path faker = venvs.install("source-faker", FAKER, "python3", false).resolve("bin/source-faker");
        Path pyairbyte = venvs.install("pyairbyte", requirements(), "python3", false);
        JsonNode config = JSON.readTree("{\"count\":" + COUNT + ",\"seed\":42,\"parallelism\":1,\"always_updated\":false}");

        Path ours = dir.resolve("tapline.duckdb");
        var target = DuckDbTarget.file(ours).schema("raw").build();
        RunResult tapline = Pipeline.builder()
                .tap(Tap.airbyte("source-faker").command(faker).config(config).build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .build().run();

        Path theirs = dir.resolve("pyairbyte.duckdb");
        Path script = dir.resolve("faker_to_duckdb.py");
        try (InputStream in = getClass().getResourceAsStream("/pyairbyte/faker_to_duckdb.py")) {
            Files.write(script, in.readAllBytes());
        }
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(pyairbyte.resolve("bin/python").toString(), script.toString(),
                faker.toString(), theirs.toString(), String.valueOf(COUNT))
                .directory(dir.toFile()).redirectError(dir.resolve("pyairbyte.log").toFile());
        pb.environment().putAll(Map.of("AIRBYTE_OFFLINE_MODE", "1", "DO_NOT_TRACK", "1", "HOME", dir.toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(900, TimeUnit.SECONDS)).isTrue();
        double pyWall = (System.nanoTime() - start) / 1e9;
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("pyairbyte.log"))).isZero();
        String last = out.lines().filter(l -> l.startsWith("{\"seconds\"")).reduce((a, b) -> b).orElseThrow();
        JsonNode py = JSON.readTree(last);

        long total = 0;
        for (String stream : List.of("users", "purchases", "products")) {
            String sql = "SELECT CAST(id AS BIGINT) AS id FROM raw." + stream + " ORDER BY 1";
            List<Object> ourIds = Duck.query(ours, sql).stream().map(r -> r.get("id")).collect(Collectors.toList());
            List<Object> theirIds = Duck.query(theirs, sql).stream().map(r -> r.get("id")).collect(Collectors.toList());
            assertThat(ourIds).as(stream).isNotEmpty().isEqualTo(theirIds);
            total += ourIds.size();
        }
        assertThat(tapline.rowsWritten()).isEqualTo(total);
        assertThat(py.path("records").asLong()).isEqualTo(total);

        double ourSeconds = tapline.duration().toNanos() / 1e9;
        System.out.printf("source-faker count=%d, %d records: tapline %.1f s (%.0f records/s, spec+discover+read); "
                        + "PyAirbyte read %.1f s (%.0f records/s), process %.1f s (%.0f records/s)%n",
                COUNT, total, ourSeconds, total / ourSeconds, py.path("seconds").asDouble(),
                total / py.path("seconds").asDouble(), pyWall, total / pyWall);
    }

    /** The pinned requirement list as one pip_url (whitespace-separated, as Meltano's pip_url). */
    private static String requirements() throws Exception {
        try (InputStream in = AirbyteVsPyAirbyteIT.class.getResourceAsStream("/pyairbyte/requirements.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.joining(" "));
        }
    }
}
