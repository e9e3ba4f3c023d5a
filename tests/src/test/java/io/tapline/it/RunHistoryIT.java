package io.tapline.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.tapline.it.support.Duck;
import io.tapline.internal.runner.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What users see after runs, through the CLI: the run history ({@code tapline runs}, SQL), per-stream
 * null counts and schema drift, webhook alerts (WireMock as the receiver, also failing and slow) and
 * the Prometheus metrics file. Taps are shell scripts printing prepared Singer output.
 */
@Timeout(300)
class RunHistoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "hunter2-s3cret";

    @TempDir Path dir;

    private WireMockServer hook;
    private ListAppender<ILoggingEvent> logs;

    @BeforeEach
    void start() {
        hook = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hook.start();
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterEach
    void stop() {
        hook.stop();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    @Test
    void runsAreRecordedWithNullCountsSchemaDriftAndMetrics() throws Exception {
        project("", 0);
        tapOutput(schema("\"id\":{\"type\":\"integer\"},\"email\":{\"type\":[\"null\",\"string\"]}"),
                record("{\"id\":1,\"email\":\"a@x\"}"), record("{\"id\":2,\"email\":null}"), record("{\"id\":3}"),
                state(3));
        assertThat(cli("run", "tap", "target-duckdb", "--metrics-file", "metrics.prom")).isZero();

        tapOutput(schema("\"id\":{\"type\":\"integer\"},\"email\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}"),
                record("{\"id\":4,\"email\":\"d@x\",\"age\":null}"), record("{\"id\":5,\"email\":\"e@x\",\"age\":30}"),
                state(5));
        assertThat(cli("run", "tap", "target-duckdb", "--metrics-file", "metrics.prom")).isZero();

        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("Schema drift in stream people")
                .contains("added column age (BIGINT)"));

        String table = out("runs");
        assertThat(table.lines().filter(l -> l.contains("tap-to-target-duckdb") && l.contains("success"))).hasSize(2);

        Path history = dir.resolve(".tapline/system.duckdb");
        List<Map<String, Object>> runs = Duck.query(history, "SELECT run_id, status, rows_committed, "
                + "CAST(state_before AS VARCHAR) AS before, CAST(state_after AS VARCHAR) AS after FROM runs ORDER BY started_at");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("before")).isNull();
        assertThat(runs.get(0).get("after")).isEqualTo("{\"at\":3}");
        assertThat(runs.get(1).get("before")).isEqualTo("{\"at\":3}");
        assertThat(runs.get(1).get("rows_committed")).isEqualTo(2L);
        String firstId = (String) runs.get(0).get("run_id");
        String secondId = (String) runs.get(1).get("run_id");
        assertThat(Duck.query(history, "SELECT column_name, null_count FROM run_columns WHERE run_id = '" + firstId
                + "' ORDER BY ordinal")).extracting(r -> r.get("column_name") + "=" + r.get("null_count"))
                .containsExactly("id=0", "email=2");
        assertThat(Duck.query(history, "SELECT CAST(schema_changes AS VARCHAR) AS c FROM run_streams WHERE run_id = '"
                + secondId + "'").get(0).get("c").toString()).contains("since last successful run: added column age (BIGINT)");

        String shown = out("runs", "show", secondId.substring(0, 8));
        assertThat(shown).contains("run id:         " + secondId).contains("status:         success")
                .contains("state before:   {\"at\":3}").contains("stream people: 2 rows")
                .contains("schema change: since last successful run: added column age (BIGINT)");
        assertThat(shown.lines().filter(l -> l.trim().startsWith("age "))).singleElement()
                .satisfies(l -> assertThat(l.trim().split("\\s+")).containsExactly("age", "BIGINT", "1", "50.0"));

        Map<String, Double> metrics = prometheus(dir.resolve("metrics.prom"));
        assertThat(metrics).containsEntry("tapline_stream_rows{pipeline=\"tap-to-target-duckdb\",stream=\"people\"}", 2.0)
                .containsEntry("tapline_runs_total{pipeline=\"tap-to-target-duckdb\"}", 2.0)
                .containsEntry("tapline_run_failures_total{pipeline=\"tap-to-target-duckdb\"}", 0.0)
                .containsEntry("tapline_run_success{pipeline=\"tap-to-target-duckdb\"}", 1.0);
        assertThat(metrics.get("tapline_stream_bytes{pipeline=\"tap-to-target-duckdb\",stream=\"people\"}")).isPositive();
    }

    @Test
    void failedRunIsAlertedAndRecordedAndAFailingWebhookChangesNothing() throws Exception {
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("ok")));
        project("""
                tapline:
                  metrics_file: metrics.prom
                  alerts:
                    webhook: ${HOOK_URL}
                    row_drop_percent: 50
                    timeout: PT10S
                """, 3);
        tapOutput(schema("\"id\":{\"type\":\"integer\"}"), record("{\"id\":1}"), state(1), record("{\"id\":2}"));

        assertThat(cli("run", "tap", "target-duckdb")).isEqualTo(4);

        List<LoggedRequest> alerts = hook.findAll(postRequestedFor(urlEqualTo("/hook")));
        assertThat(alerts).hasSize(1);
        JsonNode payload = JSON.readTree(alerts.get(0).getBodyAsString());
        assertThat(payload.path("text").asText()).contains("tap-to-target-duckdb").contains("failed").contains("exited with code 3").contains("login with **** refused");
        assertThat(payload.path("run").path("status").asText()).isEqualTo("failed");
        assertThat(alerts.get(0).getBodyAsString()).doesNotContain(SECRET);
        Map<String, Object> failed = Duck.query(dir.resolve(".tapline/system.duckdb"),
                "SELECT status, error, exit_code, rows_committed FROM runs").get(0);
        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat(failed.get("exit_code")).isEqualTo(4);
        assertThat(failed.get("rows_committed")).isEqualTo(1L); // the record before the tap's last STATE
        assertThat((String) failed.get("error")).contains("exited with code 3").contains("****").doesNotContain(SECRET);
        assertThat(prometheus(dir.resolve("metrics.prom")))
                .containsEntry("tapline_run_failures_total{pipeline=\"tap-to-target-duckdb\"}", 1.0);

        // the webhook answers 500: the run's own outcome is unchanged
        hook.resetAll();
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500)));
        assertThat(cli("run", "tap", "target-duckdb")).isEqualTo(4);
        assertThat(hook.findAll(postRequestedFor(urlEqualTo("/hook")))).hasSize(1);
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("answered HTTP 500").doesNotContain("/hook"));

        // a successful run with a webhook slower than the timeout: still a success
        hook.resetAll();
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));
        tapOutput(schema("\"id\":{\"type\":\"integer\"}"), record("{\"id\":1}"), record("{\"id\":2}"), state(2));
        project("""
                tapline:
                  alerts:
                    webhook: ${HOOK_URL}
                    on_success: true
                    row_drop_percent: 50
                    timeout: PT2S
                """, 0);
        long t0 = System.nanoTime();
        assertThat(cli("run", "tap", "target-duckdb")).isZero();
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("Alert webhook at http://127.0.0.1:"));
        assertThat(Duck.query(dir.resolve(".tapline/system.duckdb"),
                "SELECT status FROM runs ORDER BY started_at DESC LIMIT 1").get(0).get("status")).isEqualTo("success");

        // a drop in rows beyond the threshold alerts even without on_success
        hook.resetAll();
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        project("""
                tapline:
                  alerts:
                    webhook: ${HOOK_URL}
                    row_drop_percent: 40
                """, 0);
        tapOutput(schema("\"id\":{\"type\":\"integer\"}"), record("{\"id\":3}"), state(3));
        assertThat(cli("run", "tap", "target-duckdb")).isZero();
        hook.verify(1, postRequestedFor(urlEqualTo("/hook"))
                .withRequestBody(matchingJsonPath("$.run.status", equalTo("success")))
                .withRequestBody(matchingJsonPath("$.text", com.github.tomakehurst.wiremock.client.WireMock
                        .containing("50% fewer than the last successful run's 2"))));
    }

    @Test
    void anUnusableHistoryFileIsReportedAndTheRunStillSucceeds() throws Exception {
        Files.writeString(dir.resolve("garbage.duckdb"), "this is not a DuckDB database file\n".repeat(200));
        project("""
                tapline:
                  history: garbage.duckdb
                """, 0);
        tapOutput(schema("\"id\":{\"type\":\"integer\"}"), record("{\"id\":1}"), state(1));

        assertThat(cli("run", "tap", "target-duckdb")).isZero();
        assertThat(warnings()).anySatisfy(w -> assertThat(w).contains("Run history at").contains("not recorded"));
        assertThat(Duck.count(dir.resolve("warehouse.duckdb"), "people")).isEqualTo(1);
    }

    private void project(String extra, int exitCode) throws Exception {
        Path tap = dir.resolve("tap.sh");
        Files.writeString(tap, "#!/usr/bin/env bash\ncat '" + dir.resolve("tap-output.jsonl") + "'\n"
                + (exitCode != 0 ? "echo \"login with " + SECRET + " refused\" >&2\n" : "") + "exit " + exitCode + "\n");
        tap.toFile().setExecutable(true);
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: tap
                      executable: %s
                      settings: [{name: password, kind: password}]  # what makes it a secret everywhere
                      config: {password: %s}
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                %s""".formatted(tap, SECRET, extra.replace("${HOOK_URL}", "http://127.0.0.1:" + hook.port() + "/hook")));
    }

    private void tapOutput(String... lines) throws Exception {
        Files.write(dir.resolve("tap-output.jsonl"), List.of(lines));
    }

    private static String schema(String properties) {
        return "{\"type\":\"SCHEMA\",\"stream\":\"people\",\"schema\":{\"properties\":{" + properties
                + "}},\"key_properties\":[]}";
    }

    private static String record(String json) {
        return "{\"type\":\"RECORD\",\"stream\":\"people\",\"record\":" + json + "}";
    }

    private static String state(int at) {
        return "{\"type\":\"STATE\",\"value\":{\"at\":" + at + "}}";
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Parses the text exposition format: {@code name{labels} value} per sample, comments skipped. */
    static Map<String, Double> prometheus(Path file) throws Exception {
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$");
        Map<String, Double> out = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank()) {
                assertThat(line).matches("^# (HELP|TYPE) \\S+ .+$|^$");
                continue;
            }
            Matcher m = sample.matcher(line);
            assertThat(m.matches()).as("sample line '%s'", line).isTrue();
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    private int cli(String... args) {
        return run(new StringWriter(), args);
    }

    private String out(String... args) {
        StringWriter out = new StringWriter();
        assertThat(run(out, args)).isZero();
        return out.toString();
    }

    private int run(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("-p", dir.toString()), Stream.of(args)).toArray(String[]::new);
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        if (exit != 0) {
            System.err.println(err);
        }
        return exit;
    }
}
