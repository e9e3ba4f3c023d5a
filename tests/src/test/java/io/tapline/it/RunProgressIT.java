package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.Fifo;
import io.tapline.it.support.TestEnv;
import io.tapline.internal.runner.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * tapline as a separate process, as users run it: JSON log lines with the real SDK tap tap-jsonfile
 * (its METRIC lines become progress, not log lines), and a run killed with SIGKILL shown as abandoned.
 */
@Timeout(300)
class RunProgressIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void jsonLogFormatGivesOneObjectPerLineWithProgressAndNoEchoedSdkMetrics() throws Exception {
        Path example = TestEnv.repoRoot().resolve("examples/quickstart");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(example.resolve("meltano.yml"), dir.resolve("meltano.yml"));
        Path data = example.resolve("data/events-2026-01.jsonl");
        Files.copy(data, dir.resolve("data/events-2026-01.jsonl"));
        long records = Files.readAllLines(data).size();

        Process p = tapline("--log-format", "json", "run", "tap-jsonfile", "target-duckdb", "--progress", "log",
                "--progress-interval", "PT0.2S");
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(dir.resolve("stderr.log"));
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();

        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode e = JSON.readTree(line); // every line is one JSON object
            assertThat(e.isObject()).as(line).isTrue();
            assertThat(e.fieldNames()).toIterable().contains("ts", "level", "logger", "message");
            events.add(e);
        }
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("plugin").asText()).isEqualTo("tap-jsonfile");
            assertThat(e.path("logger").asText()).isEqualTo("tapline.plugin.tap-jsonfile");
        });
        // singer-sdk writes METRIC lines on stderr; they feed progress and are not echoed at INFO
        assertThat(events).noneSatisfy(e -> assertThat(e.path("message").asText()).contains("METRIC:"));
        List<String> progress = events.stream().filter(e -> e.path("logger").asText().equals("tapline.progress"))
                .map(e -> e.path("message").asText()).toList();
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1))
                .matches("events: " + String.format(java.util.Locale.ROOT, "%,d", records)
                        + " records \\| [\\d,]+ rec/s \\| [\\d.]+ (B|KiB|MiB) \\| \\d+:\\d\\d");
    }

    @Test
    void aRunWhoseProcessIsKilledIsListedAsAbandoned() throws Exception {
        Fifo started = Fifo.create(dir.resolve("tap-started"));
        Path tap = dir.resolve("slow-tap.sh");
        Files.writeString(tap, String.join("\n", "#!/usr/bin/env bash",
                "echo '{\"type\":\"SCHEMA\",\"stream\":\"items\",\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}},\"key_properties\":[]}'",
                "echo started > '" + started.path() + "'", "exec sleep 600", "")); // runs until killed
        tap.toFile().setExecutable(true);
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                plugins:
                  extractors:
                    - name: slow-tap
                      executable: %s
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                """.formatted(tap));
        Process p = tapline("run", "slow-tap", "target-duckdb", "--progress", "off");
        started.read(Duration.ofSeconds(90)); // the tap runs, so its run is recorded as running
        assertThat(cli("runs")).containsPattern("slow-tap-to-target-duckdb .* running");

        p.destroyForcibly(); // SIGKILL: no chance to record the end
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine().orElse("").contains(tap.toString()))
                .forEach(ProcessHandle::destroyForcibly); // the orphaned tap

        String table = cli("runs");
        assertThat(table).containsPattern("slow-tap-to-target-duckdb .* abandoned");
        String id = table.lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        assertThat(cli("runs", "show", id)).contains("status:         abandoned").contains("ended:          -");
    }

    @Test
    void airbyteEstimatesShowAsAPercentageOfTheTotal() throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                plugins:
                  extractors:
                    - name: source-faker
                      protocol: airbyte
                      pip_url: airbyte-source-faker==7.2.1
                      executable: source-faker
                      config: {count: 300, seed: 7, parallelism: 1, records_per_slice: 100, always_updated: false}
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                """);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> progress =
                new ch.qos.logback.core.read.ListAppender<>();
        progress.start();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("tapline.progress");
        logger.addAppender(progress);
        try {
            cli("run", "source-faker", "target-duckdb", "--progress", "log");
        } finally {
            logger.detachAppender(progress);
        }
        List<String> lines = progress.list.stream().map(e -> e.getFormattedMessage()).toList();
        // source-faker estimates each stream's rows up front (users: exactly the count)
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("users: 300 records").endsWith("| 100% of ~300"));
    }

    private Process tapline(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", dir.toString()));
        argv.addAll(List.of(args));
        return new ProcessBuilder(argv).redirectError(dir.resolve("stderr.log").toFile())
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    }

    private String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("-p", dir.toString()));
        all.addAll(List.of(args));
        assertThat(Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new)))
                .as(err.toString()).isZero();
        return out.toString();
    }
}
