package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Meltano verbs as a user types them, each a separate tapline process, on a copy of
 * {@code examples/quickstart} (tap-jsonfile from PyPI into DuckDB): select --list, run with a state-id
 * suffix, state list/get/copy, a resumed run from the copied state, invoke --dump=catalog.
 * Expectations from Meltano's docs and CASES.md 3 (ID6: the suffix ends the state id; copy overwrites
 * the destination with the source's state, so a run under the destination resumes).
 */
class MeltanoVerbsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private record Result(int exit, String out, String err) {}

    private Result tapline(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", dir.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().putAll(TestEnv.projectEnv());
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        Result r = new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
        assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.err()).isZero();
        return r;
    }

    @Test
    void verbsWorkTogetherOnAProjectWithARealTap() throws Exception {
        Path example = TestEnv.repoRoot().resolve("examples/quickstart");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(example.resolve("meltano.yml"), dir.resolve("meltano.yml"));
        Path data = example.resolve("data/events-2026-01.jsonl");
        Files.copy(data, dir.resolve("data/events-2026-01.jsonl"));
        Path db = dir.resolve("warehouse.duckdb");
        int rows = Files.readAllLines(data).size();

        String listed = tapline("select", "tap-jsonfile", "--list", "--all").out();
        assertThat(listed).contains("Enabled patterns:\n\tevents.*").containsPattern("\\[(selected|automatic) *\\] events\\.");

        tapline("run", "tap-jsonfile", "target-duckdb", "--state-id-suffix", "backfill");
        assertThat(Duck.count(db, "raw.events")).isEqualTo(rows);
        assertThat(tapline("state", "list").out().lines()).containsExactly("dev:tap-jsonfile-to-target-duckdb:backfill");
        JsonNode state = JSON.readTree(tapline("state", "get", "dev:tap-jsonfile-to-target-duckdb:backfill").out());
        assertThat(state.at("/singer_state/bookmarks/events")).isNotNull();

        tapline("state", "copy", "--force", "dev:tap-jsonfile-to-target-duckdb:backfill", "dev:tap-jsonfile-to-target-duckdb");
        tapline("run", "tap-jsonfile", "target-duckdb");
        assertThat(Duck.count(db, "raw.events")).as("resumed from the copied state").isEqualTo(rows);

        JsonNode catalog = JSON.readTree(tapline("invoke", "--dump=catalog", "tap-jsonfile").out());
        assertThat(catalog.at("/streams/0/tap_stream_id").asText()).isEqualTo("events");
    }
}
