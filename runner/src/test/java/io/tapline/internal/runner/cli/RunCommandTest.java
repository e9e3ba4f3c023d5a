package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapline run} with Meltano's state options and job names, through a real tap process
 * (taps/two_stream_tap.py). Expectations: CASES.md 3 (K1-K6, ID4, ID5, ID6, ID9) and Meltano's
 * documented {@code run} (jobs expand to their tasks' blocks).
 */
class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "dev:tap-two-to-target-jsonl";

    @TempDir Path dir;

    private Cli.Result run(String... args) {
        Cli.Result r = new Cli(dir).run(args);
        return r;
    }

    private JsonNode bookmarks(String id) throws Exception {
        Cli.Result r = run("state", "get", id);
        return JSON.readTree(r.out()).path("singer_state").path("bookmarks");
    }

    private void project(String tapExtras) {
        TestProject.write(dir, tapExtras, "");
    }

    /** First run syncs both streams to id 3; then the project selects only users and counts to 5. */
    private void syncBothThenSelectUsers() throws Exception {
        project("");
        assertThat(run("run", "tap-two", "target-jsonl").exit()).isZero();
        assertThat(bookmarks(ID).path("posts").path("last_id").asInt()).isEqualTo(3);
        TestProject.write(dir, "select: [users.*]", "");
        Files.writeString(dir.resolve("meltano.yml"), Files.readString(dir.resolve("meltano.yml"))
                .replace("discover_log:", "last_id: 5\n        discover_log:"));
    }

    @Test
    void fullRefreshWithAutoStrategyMergesSoOtherStreamsKeepTheirBookmarks() throws Exception { // K1
        syncBothThenSelectUsers();
        assertThat(run("run", "tap-two", "target-jsonl", "--full-refresh").exit()).isZero();
        assertThat(bookmarks(ID).path("users").path("last_id").asInt()).isEqualTo(5);
        assertThat(bookmarks(ID).path("posts").path("last_id").asInt()).isEqualTo(3);
    }

    @Test
    void fullRefreshWithOverwriteStrategyReplacesTheState() throws Exception { // K3
        syncBothThenSelectUsers();
        assertThat(run("run", "tap-two", "target-jsonl", "--full-refresh", "--state-strategy", "overwrite").exit()).isZero();
        assertThat(bookmarks(ID).path("users").path("last_id").asInt()).isEqualTo(5);
        assertThat(bookmarks(ID).has("posts")).isFalse();
    }

    @Test
    void incrementalRunWithAutoStrategyOverwrites() throws Exception { // K4
        syncBothThenSelectUsers();
        assertThat(run("run", "tap-two", "target-jsonl").exit()).isZero();
        assertThat(bookmarks(ID).has("posts")).isFalse();
    }

    @Test
    void incrementalRunWithMergeStrategyOrMergeStateFlagMerges() throws Exception { // K5, from_cli_args
        syncBothThenSelectUsers();
        assertThat(run("run", "tap-two", "target-jsonl", "--state-strategy=merge").exit()).isZero();
        assertThat(bookmarks(ID).path("posts").path("last_id").asInt()).isEqualTo(3);
        assertThat(run("run", "tap-two", "target-jsonl", "--merge-state").exit()).isZero();
        assertThat(bookmarks(ID).path("posts").path("last_id").asInt()).isEqualTo(3);
        assertThat(bookmarks(ID).path("users").path("last_id").asInt()).isEqualTo(5);
    }

    @Test
    void mergeStateWithAnExplicitStrategyIsRefusedBeforeAnythingRuns() throws Exception {
        project("");
        Cli.Result r = run("run", "tap-two", "target-jsonl", "--merge-state", "--state-strategy", "overwrite");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("--merge-state");
        assertThat(Files.exists(dir.resolve("out"))).isFalse();
    }

    @Test
    void suffixIsPartOfTheStateIdAndNoStateUpdateStoresNothing() throws Exception { // ID6, ID9
        project("");
        assertThat(run("run", "tap-two", "target-jsonl", "--state-id-suffix", "test-suffix").exit()).isZero();
        assertThat(run("state", "list").out().lines()).containsExactly(ID + ":test-suffix");
        assertThat(run("run", "tap-two", "target-jsonl", "--no-state-update", "--state-id-suffix", "worker").exit()).isZero();
        assertThat(run("state", "list").out().lines()).containsExactly(ID + ":test-suffix");
    }

    @Test
    void colonInTheSuffixIsRefused() { // ID4
        project("");
        Cli.Result r = run("run", "tap-two", "target-jsonl", "--state-id-suffix", "a:b");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("a:b");
    }

    @Test
    void jobNamesExpandToTheirTasksBlocks() throws Exception {
        TestProject.write(dir, "", """
                jobs:
                  - name: as-string
                    tasks: tap-two target-jsonl
                  - name: as-list
                    tasks:
                      - tap-two target-jsonl
                      - [tap-two, target-jsonl]
                """);
        Cli.Result one = run("run", "as-string");
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.out().lines()).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve("out/users.jsonl"))).hasSize(3);
        Cli.Result two = run("run", "as-list", "--full-refresh");
        assertThat(two.exit()).as(two.err()).isZero();
        assertThat(two.out().lines()).hasSize(2);
        assertThat(run("state", "list").out().lines()).containsExactly(ID);
    }

    @Test
    void unknownBlockNamesTheProjectFile() {
        project("");
        Cli.Result r = run("run", "tap-two", "target-nowhere");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("target-nowhere").contains("meltano.yml");
    }

    @Test
    void extractorWithoutLoaderIsRefused() {
        project("");
        Cli.Result r = run("run", "tap-two");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("has no loader");
        assertThat(List.of(r.out())).containsExactly("");
    }

    @Test
    void stateExtraFileIsWhereTheTapStartsUnlessFullRefresh() throws Exception { // D16, D17
        Files.writeString(dir.resolve("custom_state.json"),
                "{\"bookmarks\": {\"users\": {\"last_id\": 2}, \"posts\": {\"last_id\": 3}}}");
        project("state: custom_state.json");
        assertThat(run("run", "tap-two", "target-jsonl").exit()).isZero();
        assertThat(Files.readAllLines(dir.resolve("out/users.jsonl"))).hasSize(1);
        assertThat(bookmarks(ID).path("users").path("last_id").asInt()).isEqualTo(3);
        assertThat(run("run", "tap-two", "target-jsonl", "--full-refresh").exit()).isZero();
        assertThat(Files.readAllLines(dir.resolve("out/users.jsonl"))).hasSize(1 + 3);
    }
}
