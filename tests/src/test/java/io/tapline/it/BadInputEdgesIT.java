package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.it.support.Duck;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBlob;
import io.tapline.internal.runner.cli.Main;
import io.tapline.internal.state.file.FileStateStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile inputs of issue 6 through the CLI: oversized lines, invalid UTF-8, deep nesting,
 * numbers beyond 64 bits, a STATE whose value is not a JSON object, a corrupt state file. Each is
 * a clear error (exit code, line, cause) with what came before the last good STATE committed, or
 * a documented handling.
 */
class BadInputEdgesIT {
    private static final String SCHEMA = "{\"type\":\"SCHEMA\",\"stream\":\"s\",\"key_properties\":[],\"schema\":"
            + "{\"properties\":{\"id\":{\"type\":\"integer\"},\"v\":{},\"n\":{\"type\":\"number\"},\"t\":{\"type\":\"string\"}}}}";
    private static final String GOOD = SCHEMA + "\n{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":1}}\n"
            + "{\"type\":\"STATE\",\"value\":{\"at\":1}}\n";
    private static final String STATE_ID = "dev:bad-tap-to-target-duckdb";

    @TempDir Path dir;

    @Test
    void aLineOverTheConfiguredLimitFailsNamingLineAndLimitAndKeepsWhatCameBefore() throws Exception {
        String big = "{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":2,\"t\":\"" + "x".repeat(5000) + "\"}}\n";
        Cli cli = run((GOOD + big).getBytes(StandardCharsets.UTF_8), "--max-line-bytes", "4096");
        assertThat(cli.exit).isEqualTo(ErrorCode.LINE_TOO_LONG.exitCode());
        assertThat(cli.err).contains("line 4").contains("4096");
        assertCommittedFirstRecordOnly();
    }

    @Test
    void invalidUtf8FailsNamingTheLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(GOOD.getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":2,\"t\":\"a".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        bytes.writeBytes("\"}}\n".getBytes(StandardCharsets.UTF_8));
        Cli cli = run(bytes.toByteArray());
        assertThat(cli.exit).isEqualTo(ErrorCode.INVALID_JSON.exitCode());
        assertThat(cli.err).contains("line 4").containsIgnoringCase("UTF-8");
        assertCommittedFirstRecordOnly();
    }

    @Test
    void deeplyNestedJsonFailsNamingTheLineWithoutAStackOverflow() throws Exception {
        int depth = 100_000;
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String line = "{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":2,\"v\":" + nested + "}}\n";
        Cli cli = run((GOOD + line).getBytes(StandardCharsets.UTF_8));
        assertThat(cli.exit).isEqualTo(ErrorCode.INVALID_JSON.exitCode());
        assertThat(cli.err).contains("line 4").containsIgnoringCase("nesting depth");
        assertCommittedFirstRecordOnly();
    }

    @Test
    void moderatelyNestedJsonIsKeptVerbatimInAJsonColumn() throws Exception {
        String nested = "[".repeat(200) + "1" + "]".repeat(200);
        String line = "{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":2,\"v\":" + nested + "}}\n";
        Cli cli = run((GOOD + line).getBytes(StandardCharsets.UTF_8));
        assertThat(cli.exit).as(cli.err).isZero();
        assertThat(Duck.query(dir.resolve("warehouse.duckdb"), "SELECT v::VARCHAR AS v FROM s WHERE id = 2").get(0).get("v"))
                .isEqualTo(nested);
    }

    @Test
    void anIntegerBeyond64BitsInAnIntegerColumnFailsNamingTheFieldNotTheValue() throws Exception {
        String line = "{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":123456789012345678901234567890}}\n";
        Cli cli = run((GOOD + line).getBytes(StandardCharsets.UTF_8));
        assertThat(cli.exit).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA.exitCode());
        assertThat(cli.err).contains("line 4").contains("'id'").doesNotContain("123456789012345678901234567890");
        assertCommittedFirstRecordOnly();
    }

    @Test
    void hugeNumbersInANumberColumnBecomeDoublesAndBigIntegersInAJsonColumnStayExact() throws Exception {
        String line = "{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":2,\"n\":1e300,"
                + "\"v\":123456789012345678901234567890}}\n";
        Cli cli = run((GOOD + line).getBytes(StandardCharsets.UTF_8));
        assertThat(cli.exit).as(cli.err).isZero();
        var row = Duck.query(dir.resolve("warehouse.duckdb"), "SELECT n, v::VARCHAR AS v FROM s WHERE id = 2").get(0);
        assertThat(((Number) row.get("n")).doubleValue()).isEqualTo(1e300);
        assertThat(row.get("v")).isEqualTo("123456789012345678901234567890");
    }

    @Test
    void aStateWhoseValueIsNotAJsonObjectFailsNamingTheLine() throws Exception {
        String line = "{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":2}}\n{\"type\":\"STATE\",\"value\":\"not json\"}\n";
        Cli cli = run((GOOD + line).getBytes(StandardCharsets.UTF_8));
        assertThat(cli.exit).isEqualTo(ErrorCode.INVALID_MESSAGE.exitCode());
        assertThat(cli.err).contains("line 5").contains("STATE");
        assertCommittedFirstRecordOnly();
    }

    @Test
    void aCorruptStateFileFailsNamingTheFileBeforeTheTapRuns() throws Exception {
        Path stateFile = dir.resolve(".tapline/state").resolve(STATE_ID).resolve("state.json");
        Files.createDirectories(stateFile.getParent());
        Files.writeString(stateFile, "{\"completed\": {\"singer_state\": {\"at\": ");
        Cli cli = run(GOOD.getBytes(StandardCharsets.UTF_8));
        assertThat(cli.exit).isEqualTo(ErrorCode.STATE_STORE_FAILED.exitCode());
        assertThat(cli.err).contains(stateFile.toString());
        assertThat(Files.readString(stateFile)).isEqualTo("{\"completed\": {\"singer_state\": {\"at\": "); // left for the user
        assertThat(dir.resolve("warehouse.duckdb")).doesNotExist();
    }

    private void assertCommittedFirstRecordOnly() {
        assertThat(FileStateStore.at(dir.resolve(".tapline/state")).read(STATE_ID)).contains(new StateBlob("{\"at\":1}"));
        assertThat(Duck.query(dir.resolve("warehouse.duckdb"), "SELECT id FROM s")).extracting(r -> r.get("id"))
                .containsExactly(1L);
    }

    private Cli run(byte[] tapOutput, String... extra) throws Exception {
        Path input = dir.resolve("input.jsonl");
        Files.write(input, tapOutput);
        Path tap = TestTaps.cat(dir, input, 0);
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
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new java.util.ArrayList<>(List.of("-p", dir.toString(), "run", "bad-tap", "target-duckdb"));
        args.addAll(List.of(extra));
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Cli(exit, err.toString());
    }

    private record Cli(int exit, String err) {}
}
