package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.it.support.Duck;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.ErrorCode;
import io.tapline.internal.runner.cli.Main;
import io.tapline.internal.state.file.FileStateStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad tap output through the CLI, as a user meets it: a non-zero exit, an error naming line, stream
 * and cause, and nothing already committed lost. Inputs are other projects' public test fixtures.
 */
class BadInputIT {
    private static final String PG_DATA = "MeltanoLabs__target-postgres/target_postgres/tests/data_files/";

    @TempDir Path dir;

    @Test
    void recordBeforeSchemaFailsNamingStreamAndLine() throws Exception {
        Path fixture = io.tapline.it.support.TestEnv.fixture(PG_DATA + "record_before_schema.singer");
        int line = firstLineContaining(fixture, "\"RECORD\"");
        Cli cli = run(fixture, 0);
        assertThat(cli.exit).isEqualTo(ErrorCode.RECORD_BEFORE_SCHEMA.exitCode());
        assertThat(cli.err).contains("line " + line).contains("RECORD for stream 'test_record_before_schema'")
                .contains("before its SCHEMA");
    }

    @Test
    void invalidJsonFailsNamingTheLine() throws Exception {
        Path input = dir.resolve("bad.jsonl");
        Files.write(input, List.of(
                "{\"type\": \"SCHEMA\", \"stream\": \"s\", \"schema\": {\"properties\": {\"id\": {\"type\": \"integer\"}}}, \"key_properties\": []}",
                "{\"type\": \"RECORD\", \"stream\": \"s\", \"record\": {\"id\": 1}}",
                "{\"type\": \"RECORD\", \"stream\": \"s\", \"record\": {\"id\": 2}"));
        Cli cli = run(input, 0);
        assertThat(cli.exit).isEqualTo(ErrorCode.INVALID_JSON.exitCode());
        assertThat(cli.err).contains("line 3").contains("invalid JSON");
    }

    @Test
    void messageWithoutTypeFailsNamingTheLine() throws Exception {
        Path input = dir.resolve("notype.jsonl");
        Files.write(input, List.of("{\"stream\": \"s\", \"record\": {\"id\": 1}}"));
        Cli cli = run(input, 0);
        assertThat(cli.exit).isEqualTo(ErrorCode.MESSAGE_WITHOUT_TYPE.exitCode());
        assertThat(cli.err).contains("line 1").contains("no \"type\"");
    }

    @Test
    void recordThatBreaksItsSchemaFailsNamingStreamLineAndFieldButNotTheValue() throws Exception {
        Path input = dir.resolve("broken.jsonl");
        Files.write(input, List.of(
                "{\"type\": \"SCHEMA\", \"stream\": \"users\", \"schema\": {\"properties\": {\"id\": {\"type\": \"integer\"}, \"age\": {\"type\": \"integer\"}}}, \"key_properties\": [\"id\"]}",
                "{\"type\": \"RECORD\", \"stream\": \"users\", \"record\": {\"id\": 1, \"age\": 30}}",
                "{\"type\": \"STATE\", \"value\": {\"n\": 1}}",
                "{\"type\": \"RECORD\", \"stream\": \"users\", \"record\": {\"id\": 2, \"age\": \"secret-ish\"}}"));
        Cli cli = run(input, 0);
        assertThat(cli.exit).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA.exitCode());
        assertThat(cli.err).contains("line 4").contains("stream 'users'").contains("field 'age'")
                .contains("expected an integer").doesNotContain("secret-ish");
        // what came before the last STATE was committed, with that state
        assertThat(FileStateStore.at(dir.resolve(".tapline/state")).read("dev:bad-tap-to-target-duckdb"))
                .hasValueSatisfying(s -> assertThat(s.json()).isEqualTo("{\"n\":1}"));
        assertThat(Duck.count(dir.resolve("warehouse.duckdb"), "users")).isEqualTo(1);
    }

    @Test
    void recordMissingItsKeyPropertyFails() throws Exception {
        Path fixture = io.tapline.it.support.TestEnv.fixture(PG_DATA + "record_missing_key_property.singer");
        Cli cli = run(fixture, 0);
        assertThat(cli.exit).isEqualTo(ErrorCode.RECORD_MISSING_KEY.exitCode());
        assertThat(cli.err).contains("missing key property 'id'");
    }

    @Test
    void tapExitingNonZeroFailsWithItsExitCode() throws Exception {
        Path fixture = io.tapline.it.support.TestEnv.fixture(PG_DATA + "duplicate_records.singer");
        Cli cli = run(fixture, 7);
        assertThat(cli.exit).isEqualTo(ErrorCode.PLUGIN_FAILED.exitCode());
        assertThat(cli.err).contains("'bad-tap' exited with code 7");
    }

    @Test
    void missingPluginIsNamedWithTheProjectFile() throws Exception {
        writeProject(Path.of("/bin/true"));
        Cli cli = cli("run", "no-such-tap", "target-duckdb");
        assertThat(cli.exit).isEqualTo(ErrorCode.PLUGIN_UNKNOWN.exitCode());
        assertThat(cli.err).contains("extractor 'no-such-tap' is not defined in " + dir.resolve("meltano.yml"));
    }

    @Test
    @org.junit.jupiter.api.Tag("gh-11")
    void misspelledPluginGetsADidYouMeanAndExitsTwo() throws Exception {
        writeProject(Path.of("/bin/true"));
        Cli cli = cli("run", "bad-tpa", "target-duckdb");
        assertThat(cli.exit).isEqualTo(ErrorCode.PLUGIN_UNKNOWN.exitCode()).isEqualTo(2);
        assertThat(cli.err).contains("did you mean 'bad-tap'");
    }

    @Test
    @org.junit.jupiter.api.Tag("gh-11")
    void projectFileSyntaxErrorNamesTheLineAndShowsItMaskedAndNothingElse() throws Exception {
        String top = "first-line-token-value";
        String password = "password-on-the-broken-line";
        List<String> lines = List.of(
                "# deploy token: " + top,
                "version: 1",
                "plugins:",
                "  extractors:",
                "    - name: bad-tap",
                "      config: {user: etl, password: " + password + ": oops}",
                "  loaders:",
                "    - name: target-duckdb",
                "      variant: tapline");
        Files.write(dir.resolve("meltano.yml"), lines);
        int broken = firstLineContaining(dir.resolve("meltano.yml"), password);
        Cli cli = cli("run", "bad-tap", "target-duckdb");
        assertThat(cli.exit).isEqualTo(ErrorCode.PROJECT_FILE_INVALID.exitCode()).isEqualTo(2);
        assertThat(cli.err).contains(dir.resolve("meltano.yml") + ":" + broken + ":")
                .contains(broken + " |       config: ****");
        for (String line : lines) {
            String value = line.contains(":") ? line.substring(line.indexOf(':') + 1).strip() : line.strip();
            if (value.length() > 4) { // shorter ones ("1") may occur in the temp folder's name
                assertThat(cli.err).doesNotContain(value);
            }
        }
        assertThat(cli.err).doesNotContain(password).doesNotContain(top);
    }

    private Cli run(Path input, int exitCode) throws Exception {
        writeProject(TestTaps.cat(dir, input, exitCode));
        return cli("run", "bad-tap", "target-duckdb");
    }

    private void writeProject(Path tap) throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: bad-tap
                      executable: %s
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                """.formatted(tap));
    }

    private Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "-p";
        all[1] = dir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Cli(exit, out.toString(), err.toString());
    }

    private static int firstLineContaining(Path file, String text) throws Exception {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalStateException(text + " not in " + file);
    }

    private record Cli(int exit, String out, String err) {}
}
