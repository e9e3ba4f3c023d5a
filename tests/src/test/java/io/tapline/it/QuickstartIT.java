package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import io.tapline.internal.runner.cli.Main;
import io.tapline.internal.state.file.FileStateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, through the CLI, on a copy of {@code examples/quickstart}: tap-jsonfile from
 * PyPI into DuckDB; the second run resumes from the stored state and loads only the new file.
 */
class QuickstartIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void secondRunResumesFromStoredStateAndLoadsOnlyTheNewFile() throws Exception {
        Path example = TestEnv.repoRoot().resolve("examples/quickstart");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(example.resolve("meltano.yml"), dir.resolve("meltano.yml"));
        Path firstFile = example.resolve("data/events-2026-01.jsonl");
        Files.copy(firstFile, dir.resolve("data/events-2026-01.jsonl"));
        Path db = dir.resolve("warehouse.duckdb");

        assertThat(cli("run", "tap-jsonfile", "target-duckdb")).isZero();
        List<String> first = Files.readAllLines(firstFile);
        assertThat(Duck.count(db, "raw.events")).isEqualTo(first.size());
        String stateId = "dev:tap-jsonfile-to-target-duckdb";
        JsonNode state1 = JSON.readTree(FileStateStore.at(dir.resolve(".tapline/state")).read(stateId).orElseThrow().json());
        assertThat(state1.at("/bookmarks/events/file_hashes").size()).isEqualTo(1);

        List<String> added = Stream.of(1001, 1002, 1003).map(i -> "{\"id\": " + i
                + ", \"user\": \"user1\", \"kind\": \"view\", \"amount\": 1.5, \"at\": \"2026-02-01T00:00:00+00:00\"}").toList();
        Files.write(dir.resolve("data/events-2026-02.jsonl"), added);
        assertThat(cli("run", "tap-jsonfile", "target-duckdb")).isZero();

        assertThat(Duck.count(db, "raw.events")).isEqualTo(first.size() + added.size());
        assertThat(Duck.query(db, "SELECT count(*) AS n FROM raw.events WHERE id > 1000").get(0).get("n"))
                .isEqualTo((long) added.size());
        JsonNode state2 = JSON.readTree(FileStateStore.at(dir.resolve(".tapline/state")).read(stateId).orElseThrow().json());
        assertThat(state2.at("/bookmarks/events/file_hashes").size()).isEqualTo(2);

        // unchanged input: nothing new, nothing duplicated
        assertThat(cli("run", "tap-jsonfile", "target-duckdb")).isZero();
        assertThat(Duck.count(db, "raw.events")).isEqualTo(first.size() + added.size());
    }

    private int cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("-p", dir.toString()), Stream.of(args)).toArray(String[]::new);
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        if (exit != 0) {
            System.err.println(err);
        }
        return exit;
    }
}
