package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import io.tapline.spi.ConfigException;
import io.tapline.internal.runner.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real plugins from PyPI, installed by tapline: tap-jsonl piped through meltano-map-transform (a
 * mapping named in the run, as in {@code meltano run tap hide-emails target}) into an external
 * Singer target (target-jsonl) and into tapline's own DuckDB target.
 */
class MappersAndSingerTargetsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> USERS = List.of(
            "{\"id\": 1, \"name\": \"Ada\", \"email\": \"ada@example.com\"}",
            "{\"id\": 2, \"name\": \"Bob\", \"email\": \"bob@example.com\"}",
            "{\"id\": 3, \"name\": \"Zoë\", \"email\": null}");

    @TempDir Path dir;

    @BeforeEach
    void project() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/users.jsonl"), USERS);
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: test
                plugins:
                  extractors:
                    - name: tap-jsonl
                      config: {path: data/*.jsonl, stream_name: users}
                  mappers:
                    - name: meltano-map-transformer
                      mappings:
                        - name: hide-emails
                          config:
                            stream_maps:
                              users:
                                email: __NULL__
                                name_upper: name.upper()
                        - name: drop-bob
                          config:
                            stream_maps:
                              users:
                                __filter__: id != 2
                  loaders:
                    - name: target-jsonl
                      variant: andyh1203
                      config: {destination_path: out, do_timestamp_file: false}
                    - name: target-duckdb
                      config: {filepath: out.duckdb, default_target_schema: raw}
                """);
    }

    @Test
    void tapThroughAMappingIntoAnExternalTargetWritesTheMappedRowsAndSavesTheTargetsState() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // the CLI, as a user runs it; failsafe sets TAPLINE_VENV_DIR to the shared venv cache
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                "-p", dir.toString(), "run", "tap-jsonl", "hide-emails", "target-jsonl");

        assertThat(exit).as(err.toString()).isZero();
        List<JsonNode> rows = jsonLines(dir.resolve("out/users.jsonl"));
        assertThat(rows).hasSize(USERS.size());
        for (int i = 0; i < USERS.size(); i++) {
            JsonNode in = JSON.readTree(USERS.get(i));
            assertThat(rows.get(i).get("id").asLong()).isEqualTo(in.get("id").asLong());
            assertThat(rows.get(i).get("name_upper").asText()).isEqualTo(in.get("name").asText().toUpperCase());
            assertThat(rows.get(i).has("email")).isFalse();
        }
        // the state target-jsonl echoed is stored under Meltano's state id, mappings not included
        Path state = dir.resolve(".tapline/state/test:tap-jsonl-to-target-jsonl/state.json");
        assertThat(JSON.readTree(state.toFile()).path("completed").path("singer_state").isObject()).isTrue();
    }

    @Test
    void twoMappingsChainInTheOrderTheRunNamesThem() throws Exception {
        Project project = Project.open(dir, TestEnv.projectEnv());
        project.pipeline("tap-jsonl", List.of("drop-bob", "hide-emails"), "target-jsonl", RunOptions.defaults()).run();

        List<JsonNode> rows = jsonLines(dir.resolve("out/users.jsonl"));
        assertThat(rows).extracting(r -> r.get("id").asLong()).containsExactly(1L, 3L);
        assertThat(rows).allSatisfy(r -> assertThat(r.has("email")).isFalse());
    }

    @Test
    void mapperOutputLoadsIntoTaplinesOwnDuckDbTarget() throws Exception {
        Project project = Project.open(dir, TestEnv.projectEnv());
        var result = project.pipeline("tap-jsonl", List.of("hide-emails"), "target-duckdb", RunOptions.defaults()).run();

        Path db = dir.resolve("out.duckdb");
        assertThat(result.rowsWritten()).isEqualTo(USERS.size());
        assertThat(Duck.columnTypes(db, "raw", "users")).containsKeys("id", "name", "name_upper").doesNotContainKey("email");
        List<Map<String, Object>> rows = Duck.query(db, "SELECT id, name, name_upper FROM raw.users ORDER BY id");
        for (int i = 0; i < USERS.size(); i++) {
            JsonNode in = JSON.readTree(USERS.get(i));
            assertThat(rows.get(i).get("id")).isEqualTo(in.get("id").asLong());
            assertThat(rows.get(i).get("name_upper")).isEqualTo(in.get("name").asText().toUpperCase());
        }
    }

    @Test
    void namingTheMapperPluginInsteadOfAMappingIsAClearError() {
        Project project = Project.open(dir, TestEnv.projectEnv());
        assertThatThrownBy(() -> project.pipeline("tap-jsonl", List.of("meltano-map-transformer"), "target-jsonl",
                RunOptions.defaults()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'meltano-map-transformer' is a mapper plugin; name one of its mappings");
    }

    @Test
    void aMappingThatBreaksFailsTheRunNamingTheMapper() throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), Files.readString(dir.resolve("meltano.yml"))
                .replace("name_upper: name.upper()", "name_upper: no_such_function(name)"));
        Project project = Project.open(dir, TestEnv.projectEnv());

        assertThatThrownBy(() -> project.pipeline("tap-jsonl", List.of("hide-emails"), "target-jsonl",
                RunOptions.defaults()).run())
                .hasMessageContaining("plugin 'meltano-map-transformer' exited with code");
    }

    private static List<JsonNode> jsonLines(Path file) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }
}
