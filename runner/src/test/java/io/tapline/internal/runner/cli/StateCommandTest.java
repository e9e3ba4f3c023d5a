package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateWriteMode;
import io.tapline.internal.state.file.FileStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapline state ...} against Meltano's expectations (testdata/meltano/CASES.md section 3: D20, D22,
 * H1-H9, ID14). The H states are built the way Meltano's job-history fixture builds them: payload i is
 * {@code {"bookmark-i": i+9}}, complete jobs overwrite, incomplete ones merge.
 */
class StateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String H1 = "dev:tap-single-incomplete-to-target-single-incomplete";
    private static final String H2 = "dev:tap-single-complete-to-target-single-complete";
    private static final String H3 = "dev:tap-multiple-incompletes-to-target-multiple-incompletes";
    private static final String H4 = "dev:tap-multiple-completes-to-target-multiple-completes";
    private static final String H5 = "dev:tap-single-complete-then-multiple-incompletes-to-target-single-complete-then-multiple-incompletes";
    private static final String H6 = "dev:tap-single-incomplete-then-multiple-completes-to-target-single-incomplete-then-multiple-completes";

    @TempDir Path dir;
    private Cli cli;
    private FileStateStore store;

    @BeforeEach
    void project() throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), "version: 1\ndefault_environment: dev\nplugins: {}\n");
        cli = new Cli(dir);
        store = FileStateStore.at(dir.resolve(".tapline/state"));
        job(H1, 0, false);
        job(H2, 0, true);
        for (int i = 0; i < 10; i++) {
            job(H3, i, false);
            job(H4, i, true);
            job(H5, i, i == 0);
            job(H6, i, i != 0);
        }
    }

    private void job(String id, int i, boolean complete) {
        store.save(id, new StateBlob("{\"bookmark-" + i + "\":" + (i + 9) + "}"),
                complete ? StateWriteMode.COMPLETE : StateWriteMode.PARTIAL);
    }

    private JsonNode get(String id) throws Exception {
        Cli.Result r = cli.run("state", "get", id);
        assertThat(r.exit()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    private static JsonNode bookmarks(int from, int to) {
        var singer = JSON.createObjectNode();
        for (int i = from; i <= to; i++) {
            singer.put("bookmark-" + i, i + 9);
        }
        return JSON.createObjectNode().set("singer_state", singer);
    }

    @Test
    void getPrintsTheStateTheNextRunStartsFrom() throws Exception { // H1-H6
        assertThat(get(H1)).isEqualTo(bookmarks(0, 0));
        assertThat(get(H2)).isEqualTo(bookmarks(0, 0));
        assertThat(get(H3)).isEqualTo(bookmarks(0, 9));
        assertThat(get(H4)).isEqualTo(bookmarks(9, 9));
        assertThat(get(H5)).isEqualTo(bookmarks(0, 9));
        assertThat(get(H6)).isEqualTo(bookmarks(9, 9));
    }

    @Test
    void getOfAnUnknownIdPrintsAnEmptyObject() throws Exception {
        assertThat(get("dev:nothing-to-here")).isEqualTo(JSON.createObjectNode());
    }

    @Test
    void mergeFromStateId() throws Exception { // H7, H8, H9
        assertThat(cli.run("state", "merge", "--from-state-id", H1, H2).exit()).isZero();
        assertThat(get(H2)).isEqualTo(bookmarks(0, 0));
        assertThat(cli.run("state", "merge", "--from-state-id", H3, H4).exit()).isZero();
        assertThat(get(H4)).isEqualTo(bookmarks(0, 9));
        assertThat(cli.run("state", "merge", "--from-state-id", H5, H6).exit()).isZero();
        assertThat(get(H6)).isEqualTo(bookmarks(0, 9));
    }

    @Test
    void mergeFromStringAndFromFile() throws Exception { // H7 / H8 as test_merge_from_string / _from_file
        assertThat(cli.run("state", "merge", H2, get(H1).toString()).exit()).isZero();
        assertThat(get(H2)).isEqualTo(bookmarks(0, 0));
        Path file = Files.writeString(dir.resolve("h3.json"), get(H3).toString());
        assertThat(cli.run("state", "merge", "--input-file", file.toString(), H4).exit()).isZero();
        assertThat(get(H4)).isEqualTo(bookmarks(0, 9));
    }

    @Test
    void mergeNeedsExactlyOneSource() {
        Cli.Result r = cli.run("state", "merge", H2, "{\"singer_state\":{}}", "--from-state-id", H1);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("exactly one of");
    }

    @Test
    void setReplacesTheStateAndGetPrintsItCompact() { // D20
        Cli.Result set = cli.run("state", "set", "--force", "dev:tap-gitlab-to-target-jsonl", "{\"singer_state\": {\"bookmark-1\": 0}}");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(cli.run("state", "get", "dev:tap-gitlab-to-target-jsonl").out().trim())
                .isEqualTo("{\"singer_state\":{\"bookmark-1\":0}}");
        assertThat(cli.run("state", "set", "--force", H3, "{\"singer_state\": {\"x\": 1}}").exit()).isZero();
        assertThat(cli.run("state", "get", H3).out().trim()).isEqualTo("{\"singer_state\":{\"x\":1}}");
    }

    @Test
    void stateWithoutSingerStateRootIsRefused() throws Exception { // D22
        JsonNode before = get(H2);
        Cli.Result r = cli.run("state", "set", "--force", H2, "{\"root key not singer_state\": {}}");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("singer_state not found");
        assertThat(cli.run("state", "merge", H2, "{\"root key not singer_state\": {}}").exit()).isNotZero();
        assertThat(get(H2)).isEqualTo(before);
        assertThat(cli.run("state", "set", "--force", H2,
                "{\"singer_state\": {\"bookmarks\": {\"mock-stream\": \"mock-value\"}}}").exit()).isZero();
    }

    @Test
    void destructiveCommandsWithoutForceAndWithoutATerminalChangeNothing() throws Exception {
        JsonNode before = get(H2);
        Cli.Result r = cli.run("state", "clear", H2);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--force");
        assertThat(get(H2)).isEqualTo(before);
    }

    @Test
    void clearCopyAndMove() throws Exception {
        assertThat(cli.run("state", "copy", "--force", H3, "dev:a-to-b").exit()).isZero();
        assertThat(get("dev:a-to-b")).isEqualTo(bookmarks(0, 9));
        assertThat(get(H3)).isEqualTo(bookmarks(0, 9));
        assertThat(cli.run("state", "move", "--force", "dev:a-to-b", "dev:c-to-d").exit()).isZero();
        assertThat(get("dev:c-to-d")).isEqualTo(bookmarks(0, 9));
        assertThat(get("dev:a-to-b")).isEqualTo(JSON.createObjectNode());
        assertThat(cli.run("state", "clear", "--force", "dev:c-to-d").exit()).isZero();
        assertThat(cli.run("state", "list").out()).doesNotContain("dev:c-to-d");
    }

    @Test
    void copyOfAnIdWithoutStateIsRefused() {
        Cli.Result r = cli.run("state", "copy", "--force", "dev:none-to-here", H2);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("singer_state not found");
    }

    @Test
    void listFiltersByGlob() { // ID14
        assertThat(cli.run("state", "list", "--pattern", "*-to-*").out().lines()).hasSize(6);
        assertThat(cli.run("state", "list", "--pattern", "test:*").out()).isEmpty();
        assertThat(cli.run("state", "list", "--pattern", "*multiple-complete").out()).isEmpty();
        assertThat(cli.run("state", "list", "--pattern", "*multiple-completes").out().lines()).containsExactly(H4, H6);
    }

    @Test
    void migrateCopiesEveryStateIdToAnotherBackendAsTheNextRunWouldReadIt() throws Exception {
        Path target = dir.resolve("elsewhere");
        Cli.Result r = cli.run("state", "migrate", "--force", "--to", target.toUri().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        FileStateStore migrated = FileStateStore.at(target);
        assertThat(migrated.stateIds(java.util.Optional.empty())).isEqualTo(store.stateIds(java.util.Optional.empty()));
        for (String id : store.stateIds(java.util.Optional.empty())) {
            assertThat(migrated.read(id)).as(id).isEqualTo(store.read(id));
        }
    }

    @Test
    void migrateWithAPatternCopiesOnlyTheMatchingIds() {
        Path target = dir.resolve("some");
        assertThat(cli.run("state", "migrate", "--force", "--pattern", "*multiple-completes", "--to",
                target.toUri().toString()).exit()).isZero();
        assertThat(FileStateStore.at(target).stateIds(java.util.Optional.empty())).containsExactly(H4, H6);
    }
}
