package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tapline invoke} and {@code tapline el} with a real tap process (taps/two_stream_tap.py).
 * Expectations: Meltano's documented invoke (plugin arguments pass through; --dump prints the file the
 * plugin would get) and CASES.md 3.1 ({@code el} without --state-id uses {@code <UTC now>--<tap>--<target>}).
 */
class InvokeAndElCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private Cli.Result cli(String... args) {
        Cli.Result r = new Cli(dir).run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }

    @Test
    void invokeDiscoverPrintsTheTapsCatalog() throws Exception {
        TestProject.write(dir, "", "");
        JsonNode catalog = JSON.readTree(cli("invoke", "tap-two", "--discover").out());
        List<String> streams = new ArrayList<>();
        catalog.get("streams").forEach(s -> streams.add(s.get("tap_stream_id").asText()));
        assertThat(streams).containsExactly("users", "posts");
    }

    @Test
    void invokeAboutPassesThrough() throws Exception {
        TestProject.write(dir, "", "");
        assertThat(JSON.readTree(cli("invoke", "tap-two", "--about").out()).get("name").asText()).isEqualTo("two-stream-tap");
    }

    @Test
    void invokeRunsTheTapWithConfigAndTheSelectedCatalog() {
        TestProject.write(dir, "select: [posts.*]", "");
        List<String> lines = cli("invoke", "tap-two").out().lines().toList();
        assertThat(lines).anyMatch(l -> l.contains("\"RECORD\"") && l.contains("\"posts\""))
                .noneMatch(l -> l.contains("\"stream\": \"users\""));
    }

    @Test
    void dumpCatalogPrintsTheCatalogARunWouldUse() throws Exception {
        TestProject.write(dir, "select: [posts.name]", "");
        JsonNode catalog = JSON.readTree(cli("invoke", "--dump=catalog", "tap-two").out());
        for (JsonNode stream : catalog.get("streams")) {
            JsonNode streamMeta = stream.get("metadata").get(0).get("metadata");
            assertThat(streamMeta.path("selected").asBoolean()).isEqualTo(stream.get("tap_stream_id").asText().equals("posts"));
        }
    }

    @Test
    void dumpConfigPrintsTheConfigThePluginGets() throws Exception {
        TestProject.write(dir, "", "");
        JsonNode config = JSON.readTree(cli("invoke", "--dump", "config", "tap-two").out());
        assertThat(config.get("discover_log").asText()).isEqualTo(dir.resolve("discover.log").toString());
    }

    @Test
    void elWithStateIdResumesFromThatId() throws Exception {
        TestProject.write(dir, "", "");
        assertThat(cli("el", "tap-two", "target-jsonl", "--state-id", "my-job").out()).contains("my-job");
        assertThat(cli("state", "list").out().lines()).containsExactly("my-job");
        assertThat(Files.readAllLines(dir.resolve("out/users.jsonl"))).hasSize(3);
        cli("el", "tap-two", "target-jsonl", "--state-id", "my-job");
        assertThat(Files.readAllLines(dir.resolve("out/users.jsonl"))).hasSize(3); // resumed: nothing new
    }

    @Test
    void elWithoutStateIdUsesAnEphemeralId() { // CASES.md 3.1 (src/meltano/cli/elt.py)
        TestProject.write(dir, "", "");
        cli("el", "tap-two", "target-jsonl");
        assertThat(cli("state", "list").out().lines())
                .singleElement().asString().matches("\\d{4}-\\d{2}-\\d{2}T\\d{6}--tap-two--target-jsonl");
    }
}
