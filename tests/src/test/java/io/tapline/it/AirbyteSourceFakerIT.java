package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.Pipeline;
import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StreamName;
import io.tapline.internal.runner.process.VirtualEnvs;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Airbyte sources, end to end: {@code airbyte-source-faker} from PyPI, installed by tapline into a
 * virtualenv, read into DuckDB with its state kept between runs; and a scripted connector that fails
 * with a TRACE ERROR after its first STATE.
 */
class AirbyteSourceFakerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int COUNT = 50;
    private static final String FAKER = "airbyte-source-faker==7.2.1";
    private static final String SECRET = "pa55-Wd-9f3k2-never-logged";
    /** The scripted connector's spec: an optional api_key, marked airbyte_secret, of at least 40 characters. */
    private static final String SPEC = "{\"type\":\"SPEC\",\"spec\":{\"connectionSpecification\":{\"type\":\"object\","
            + "\"properties\":{\"api_key\":{\"type\":\"string\",\"airbyte_secret\":true,\"minLength\":40},"
            + "\"region\":{\"type\":\"string\",\"enum\":[\"eu\",\"us\"]}}}}}";

    @TempDir Path dir;

    @Test
    @Timeout(900) // the first install downloads the connector and its dependencies
    void fakerLoadsIntoDuckDbAndResumesFromStoredState() throws Exception {
        // source-faker spec: count, seed, records_per_slice, always_updated, parallelism. With always_updated
        // false the connector emits nothing for a stream whose state holds updated_at: a resumed run is empty.
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: source-faker
                      protocol: airbyte
                      pip_url: %s
                      executable: source-faker
                      config: {count: %d, seed: 42, parallelism: 1, records_per_slice: 100, always_updated: false}
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                      config: {filepath: warehouse.duckdb, default_target_schema: raw}
                """.formatted(FAKER, COUNT));
        Project project = Project.open(dir, TestEnv.projectEnv());
        Path db = dir.resolve("warehouse.duckdb");
        String stateId = "dev:source-faker-to-target-duckdb";

        RunResult first = project.pipeline("source-faker", "target-duckdb", RunOptions.defaults()).run();

        assertThat(Duck.query(db, "SELECT count(*) AS n, count(DISTINCT id) AS ids, min(id) AS lo, max(id) AS hi "
                + "FROM raw.users").get(0)).containsEntry("n", (long) COUNT).containsEntry("ids", (long) COUNT)
                .containsEntry("lo", 1L).containsEntry("hi", (long) COUNT);
        // the connector emits the products of its bundled record_data/products.json whose id <= count
        List<JsonNode> catalogProducts = bundledProducts();
        long products = catalogProducts.stream().filter(p -> p.path("id").asLong() <= COUNT).count();
        assertThat(products).isPositive();
        assertThat(Duck.count(db, "raw.products")).isEqualTo(products);
        // its spec: "10 purchases created per 10 users"; a purchase's product is any of the bundled products
        long purchases = Duck.count(db, "raw.purchases");
        assertThat(purchases).isEqualTo(COUNT);
        assertThat(Duck.query(db, "SELECT count(DISTINCT id) AS ids FROM raw.purchases").get(0))
                .containsEntry("ids", (long) COUNT);
        assertThat(Duck.query(db, "SELECT count(*) AS n FROM raw.purchases WHERE user_id NOT BETWEEN 1 AND " + COUNT
                + " OR product_id NOT BETWEEN 1 AND " + catalogProducts.size()).get(0)).containsEntry("n", 0L);
        assertThat(first.rowsPerStream()).containsEntry(StreamName.of("users"), (long) COUNT)
                .containsEntry(StreamName.of("products"), products).containsEntry(StreamName.of("purchases"), purchases);

        JsonNode state = JSON.readTree(FileStateStore.at(dir.resolve(".tapline/state")).read(stateId).orElseThrow().json());
        assertThat(state.isArray()).isTrue();
        List<String> streams = new ArrayList<>();
        for (JsonNode message : state) {
            assertThat(message.path("type").asText()).isEqualTo("STREAM");
            streams.add(message.at("/stream/stream_descriptor/name").asText());
            assertThat(message.at("/stream/stream_state/updated_at").asText()).isNotEmpty();
        }
        assertThat(streams).containsExactlyInAnyOrder("users", "products", "purchases");
        assertThat(state.toString()).isEqualTo(JSON.readTree(first.finalState().orElseThrow().json()).toString());

        // second run: the connector gets --state and, as always_updated is false, has nothing new
        RunResult second = project.pipeline("source-faker", "target-duckdb", RunOptions.defaults()).run();
        assertThat(second.rowsWritten()).isZero();
        assertThat(Duck.count(db, "raw.users")).isEqualTo(COUNT);

        // a full refresh ignores the state: every user comes again and is upserted on id, not duplicated
        RunOptions fullRefresh = new RunOptions(Optional.empty(), Optional.empty(),
                RunOptions.defaults().pipeline().withFullRefresh(true));
        RunResult third = project.pipeline("source-faker", "target-duckdb", fullRefresh).run();
        assertThat(third.rowsPerStream()).containsEntry(StreamName.of("users"), (long) COUNT);
        assertThat(Duck.count(db, "raw.users")).isEqualTo(COUNT);
        assertThat(Duck.count(db, "raw.products")).isEqualTo(products);
        assertThat(Duck.count(db, "raw.purchases")).isEqualTo(purchases);
        JsonNode refreshed = JSON.readTree(FileStateStore.at(dir.resolve(".tapline/state")).read(stateId).orElseThrow()
                .json());
        assertThat(refreshed.size()).isEqualTo(3);
    }

    @Test
    @Timeout(120)
    void traceErrorFailsTheRunAndKeepsWhatCameBeforeTheLastState() throws Exception {
        Pipeline pipeline = scripted(1, "not a protocol line",
                "{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"starting\"}}",
                record("items", 1), record("items", 2), state(2), record("items", 3),
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"emitted_at\":1,\"error\":{\"message\":"
                        + "\"upstream went away\",\"internal_message\":\"HTTP 503\",\"failure_type\":\"transient_error\"}}}");

        assertThatThrownBy(pipeline::run)
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("transient_error")
                .hasMessageContaining("upstream went away")
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("exit code 1");
        assertCommittedUpTo(2);
    }

    @Test
    @Timeout(120)
    void nonZeroExitFailsWithExitCodeAndStderr() throws Exception {
        Pipeline pipeline = scripted(3, record("items", 1), record("items", 2), state(2), record("items", 3),
                "BOOM_ON_STDERR");

        assertThatThrownBy(pipeline::run)
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("connector crashed");
        assertCommittedUpTo(2);
    }

    @Test
    @Timeout(120)
    void recordForAStreamOutsideTheCatalogFailsTheRun() throws Exception {
        Pipeline pipeline = scripted(0, record("items", 1), record("items", 2), state(2), record("other", 3));

        assertThatThrownBy(pipeline::run)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("other")
                .extracting(e -> ((ProtocolException) e).errorCode())
                .isEqualTo(ErrorCode.RECORD_FOR_UNCONFIGURED_STREAM);
        assertCommittedUpTo(2);
    }

    @Test
    @Timeout(120)
    void stateForAStreamOutsideTheCatalogFailsTheRunNamingStreamAndLine() throws Exception {
        Pipeline pipeline = scripted(0, record("items", 1), record("items", 2), state(2), record("items", 3),
                "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":"
                        + "{\"name\":\"ghosts\"},\"stream_state\":{\"id\":9}}}}");

        assertThatThrownBy(pipeline::run)
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ghosts")
                .hasMessageContaining("line 5")
                .extracting(e -> ((ProtocolException) e).errorCode())
                .isEqualTo(ErrorCode.STATE_FOR_UNCONFIGURED_STREAM);
        assertCommittedUpTo(2);
    }

    @Test
    @Timeout(120)
    void nonZeroExitBeforeAnyStateKeepsTheEarlierCommittedState() throws Exception {
        scripted(0, record("items", 1), record("items", 2), state(2)).run();
        Pipeline crashing = scripted(7, record("items", 3), "BOOM_ON_STDERR");

        assertThatThrownBy(crashing::run)
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("exited with code 7")
                .hasMessageContaining("connector crashed");
        assertCommittedUpTo(2);
    }

    @Test
    @Timeout(120)
    void configFailingTheSpecIsRefusedPerFieldWithoutShowingTheSecret() throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        Pipeline pipeline = scripted(0, JSON.readTree("{\"api_key\":\"" + SECRET + "\",\"region\":\"mars\"}"),
                record("items", 1), state(1));
        java.io.StringWriter err = new java.io.StringWriter();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(pipeline::run)
                    .isInstanceOf(io.tapline.spi.ConfigException.class)
                    .hasMessageContaining("field 'api_key'")
                    .hasMessageContaining("minLength")
                    .hasMessageContaining("field 'region'")
                    .satisfies(e -> err.write(String.valueOf(e)));
        } finally {
            System.setErr(original);
        }
        assertThat(err.toString()).doesNotContain(SECRET);
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("source-scripted")
                .doesNotContain(SECRET);
        assertThat(Files.exists(dir.resolve("scripted.duckdb"))).isFalse(); // refused before read
    }

    @Test
    @Timeout(120)
    void controlMessageUpdatesTheConfigFileAtomicallyAndTheNextRunUsesIt() throws Exception {
        Path connector = dir.resolve("source-scripted");
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                plugins:
                  extractors:
                    - name: source-scripted
                      protocol: airbyte
                      executable: %s
                      config: {api_key: "%s", region: eu}
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                      config: {filepath: scripted.duckdb}
                """.formatted(connector, "k".repeat(40)));
        String refreshed = "r".repeat(41);
        scripted(0, record("items", 1), "{\"type\":\"CONTROL\",\"control\":{\"type\":\"CONNECTOR_CONFIG\","
                + "\"emitted_at\":1,\"connectorConfig\":{\"config\":{\"api_key\":\"" + refreshed
                + "\",\"region\":\"eu\"}}}}", state(1));
        Project project = Project.open(dir, TestEnv.projectEnv());

        project.pipeline("source-scripted", "target-duckdb", RunOptions.defaults()).run();

        Path saved = project.airbyteConfigFile("source-scripted");
        assertThat(JSON.readTree(saved.toFile()).path("api_key").asText()).isEqualTo(refreshed);
        assertThat(Files.getPosixFilePermissions(saved)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> leftovers = Files.list(saved.getParent())) {
            assertThat(leftovers).containsExactly(saved); // no temporary file left beside it
        }
        assertThat(Files.readString(dir.resolve("meltano.yml"))).contains("k".repeat(40)); // never rewritten
        assertThat(Project.open(dir, TestEnv.projectEnv()).airbyteSource("source-scripted").config().path("api_key")
                .asText()).isEqualTo(refreshed);
    }

    /** Rows 1..id are loaded and the committed state is the STATE after id; nothing after it. */
    private void assertCommittedUpTo(int id) throws Exception {
        List<Map<String, Object>> rows = Duck.query(dir.resolve("scripted.duckdb"), "SELECT id FROM items ORDER BY id");
        assertThat(rows).hasSize(id);
        assertThat(rows.get(id - 1)).containsEntry("id", (long) id);
        JsonNode state = JSON.readTree(FileStateStore.at(dir.resolve("state")).read("source-scripted-to-target")
                .orElseThrow().json());
        assertThat(state.at("/0/stream/stream_state/id").asInt()).isEqualTo(id);
    }

    /**
     * A pipeline from a shell-script connector: {@code discover} prints a one-stream catalog
     * ({@code items}, key id); {@code read} prints {@code lines} (a line BOOM_ON_STDERR instead
     * writes "connector crashed" to stderr) and exits with {@code exitCode}.
     */
    private Pipeline scripted(int exitCode, String... lines) throws Exception {
        return scripted(exitCode, JSON.createObjectNode(), lines);
    }

    private Pipeline scripted(int exitCode, JsonNode config, String... lines) throws Exception {
        Path connector = dir.resolve("source-scripted");
        String catalog = "{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[{\"name\":\"items\",\"json_schema\":"
                + "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":[\"null\",\"string\"]}}},"
                + "\"supported_sync_modes\":[\"full_refresh\",\"incremental\"],\"source_defined_cursor\":true,"
                + "\"default_cursor_field\":[\"id\"],\"source_defined_primary_key\":[[\"id\"]]}]}}";
        String read = String.join("\n", lines).replace("BOOM_ON_STDERR", "EOF\necho connector crashed >&2\ncat <<'EOF'");
        Files.writeString(connector, """
                #!/bin/sh
                case "$1" in
                  spec) cat <<'EOF'
                %s
                EOF
                  ;;
                  discover) cat <<'EOF'
                %s
                EOF
                  ;;
                  read) cat <<'EOF'
                %s
                EOF
                  exit %d ;;
                esac
                """.formatted(SPEC, catalog, read, exitCode));
        Files.setPosixFilePermissions(connector, PosixFilePermissions.fromString("rwx------"));
        var target = DuckDbTarget.file(dir.resolve("scripted.duckdb")).build();
        return Pipeline.builder()
                .tap(Tap.airbyte("source-scripted").command(connector).config(config).build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .build();
    }

    private static String state(int id) {
        return "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"items\"},"
                + "\"stream_state\":{\"id\":" + id + "}}}}";
    }

    private static String record(String stream, int id) {
        return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"" + stream + "\",\"data\":{\"id\":" + id + ",\"name\":\"n" + id
                + "\"},\"emitted_at\":1}}";
    }

    /** The products source-faker ships with (its record_data/products.json), read from its venv. */
    private static List<JsonNode> bundledProducts() throws Exception {
        Path venv = new VirtualEnvs(TestEnv.venvCache()).venvFor("source-faker", FAKER, "python3");
        try (Stream<Path> files = Files.find(venv.resolve("lib"), 6, (p, a) -> p.endsWith(
                Path.of("source_faker", "record_data", "products.json")))) {
            Path products = files.findFirst().orElseThrow();
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(products.toFile()).forEach(out::add);
            return out;
        }
    }
}
