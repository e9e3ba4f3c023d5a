package io.tapline.internal.runner.cli;

import io.tapline.internal.runner.project.ProjectSession;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.internal.catalog.PluginType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapline select} against Meltano's select tests (CASES.md 1.10, Y1-Y7), with discovery by a
 * real tap process (taps/two_stream_tap.py: streams users/posts; id automatic, name available,
 * secret unsupported).
 */
class SelectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Cli.Result cli(String... args) {
        Cli.Result r = new Cli(dir).run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    private List<String> select() {
        return ProjectSession.open(dir).config().plugin(PluginType.EXTRACTORS, "tap-two").select();
    }

    @Test
    void freshExtractorSelectsEverything() { // Y1
        TestProject.write(dir, "", "");
        assertThat(select()).containsExactly("*.*");
    }

    @Test
    void addedPatternsReplaceTheDefaultInOrder() { // Y2
        TestProject.write(dir, "", "");
        cli("select", "tap-two", "users", "*");
        cli("select", "tap-two", "posts", "id");
        cli("select", "tap-two", "--exclude", "posts", "secret");
        assertThat(select()).containsExactly("users.*", "posts.id", "!posts.secret");
    }

    @Test
    void clearGoesBackToTheDefault() throws Exception { // Y3, Y5
        TestProject.write(dir, "", "");
        cli("select", "tap-two", "users", "*");
        cli("select", "tap-two", "posts", "id");
        cli("select", "tap-two", "--exclude", "posts", "secret");
        cli("select", "tap-two", "--clear");
        assertThat(select()).containsExactly("*.*");
        assertThat(Files.readString(dir.resolve("meltano.yml"))).doesNotContain("select");
    }

    @Test
    void removeTakesOutOnePattern() { // Y4
        TestProject.write(dir, "", "");
        cli("select", "tap-two", "mock", "*");
        assertThat(select()).contains("mock.*");
        cli("select", "tap-two", "users", "name");
        cli("select", "--rm", "tap-two", "mock", "*");
        assertThat(select()).containsExactly("users.name");
    }

    @Test
    void removingAPatternThatIsNotThereIsAnError() {
        TestProject.write(dir, "select: [users.name]", "");
        Cli.Result r = new Cli(dir).run("select", "--rm", "tap-two", "posts", "*");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("posts.*").contains("meltano.yml");
    }

    @Test
    void editingKeepsCommentsAndTheRestOfTheFile() throws Exception {
        TestProject.write(dir, "# keep this comment\nselect: [users.name]", "# trailing comment\n");
        cli("select", "tap-two", "--exclude", "users", "secret");
        String yml = Files.readString(dir.resolve("meltano.yml"));
        assertThat(yml).contains("# keep this comment").contains("# trailing comment")
                .contains("destination_path: out").contains("default_environment: dev");
        assertThat(select()).containsExactly("users.name", "!users.secret");
        assertThat(ProjectSession.open(dir).config().plugin(PluginType.LOADERS, "target-jsonl").config().path("destination_path")
                .asText()).isEqualTo("out");
    }

    @Test
    void listMarksEachPropertyThroughItsStream() { // Y6
        TestProject.write(dir, "select: [users.name]", "");
        String all = cli("select", "tap-two", "--list", "--all").out();
        assertThat(all).contains("Enabled patterns:\n\tusers.name")
                .contains("\t[selected   ] users.name")
                .contains("\t[automatic  ] users.id")
                .contains("\t[unsupported] users.secret")
                .contains("\t[excluded   ] posts.name")
                .contains("\t[excluded   ] posts.id");
        String selected = cli("select", "tap-two", "--list").out();
        assertThat(selected).contains("[selected   ] users.name").contains("[automatic  ] users.id")
                .doesNotContain("[excluded").doesNotContain("[unsupported");
    }

    @Test
    void jsonListsPatternsAndStreams() throws Exception { // Y7
        TestProject.write(dir, "select: [users.name, \"!users.secret\"]", "");
        JsonNode all = JSON.readTree(cli("select", "tap-two", "--json", "--all").out());
        assertThat(all.get("enabled_patterns")).containsExactly(JSON.valueToTree("users.name"), JSON.valueToTree("!users.secret"));
        Set<String> kinds = new HashSet<>();
        all.get("streams").forEach(s -> kinds.add(s.get("selection").asText()));
        assertThat(kinds).containsExactlyInAnyOrder("selected", "automatic", "excluded", "unsupported");
        JsonNode some = JSON.readTree(cli("select", "tap-two", "--json").out());
        some.get("streams").forEach(s -> assertThat(s.get("selection").asText()).isIn("selected", "automatic"));
        assertThat(some.get("streams")).anySatisfy(s -> {
            assertThat(s.get("stream").asText()).isEqualTo("users");
            assertThat(s.get("property").asText()).isEqualTo("name");
        });
    }

    @Test
    void discoveryIsCachedWhileTheConfigIsUnchanged() throws Exception {
        TestProject.write(dir, "", "");
        cli("select", "tap-two", "--list");
        cli("select", "tap-two", "--list");
        assertThat(TestProject.discoveries(dir)).isEqualTo(1);
        cli("select", "tap-two", "--list", "--refresh-catalog");
        assertThat(TestProject.discoveries(dir)).isEqualTo(2);
        Files.writeString(dir.resolve("meltano.yml"), Files.readString(dir.resolve("meltano.yml"))
                .replace("discover_log:", "last_id: 7\n        discover_log:"));
        cli("select", "tap-two", "--list");
        assertThat(TestProject.discoveries(dir)).isEqualTo(3);
        assertThat(cli("run", "tap-two", "target-jsonl").exit()).isZero();
        assertThat(TestProject.discoveries(dir)).isEqualTo(3);
    }

    @Test
    void useCachedCatalogFalseDiscoversEveryTime() throws Exception {
        TestProject.write(dir, "use_cached_catalog: false", "");
        cli("select", "tap-two", "--list");
        cli("select", "tap-two", "--list");
        assertThat(TestProject.discoveries(dir)).isEqualTo(2);
    }

    @Test
    void catalogExtraReplacesDiscoveryAndOnlySelectFilterApplies() throws Exception { // T5
        Path custom = dir.resolve("custom_catalog.json");
        Files.writeString(custom, """
                {"streams": [{"tap_stream_id": "users", "stream": "users",
                  "schema": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
                  "metadata": [{"breadcrumb": [], "metadata": {"selected": true}},
                               {"breadcrumb": ["properties", "id"], "metadata": {"inclusion": "automatic"}},
                               {"breadcrumb": ["properties", "name"], "metadata": {"selected": true}}]}]}
                """);
        TestProject.write(dir, "catalog: custom_catalog.json\nselect: [posts.*]", "");
        String out = cli("select", "tap-two", "--list", "--all").out();
        assertThat(out).contains("[selected   ] users.name").doesNotContain("] posts.");
        assertThat(TestProject.discoveries(dir)).isZero();
        assertThat(cli("run", "tap-two", "target-jsonl").exit()).isZero();
        assertThat(Files.readAllLines(dir.resolve("out/users.jsonl"))).hasSize(3);
        assertThat(Files.exists(dir.resolve("out/posts.jsonl"))).isFalse();
    }
}
