package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.it.support.TestEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Meltano Hub plugin named by name alone, as a new user writes it: {@code tap-singer-jsonl} takes
 * its Hub default variant's pip_url (installed from PyPI by {@code tapline install}), executable and
 * setting defaults from the bundled catalog, and runs into {@code target-jsonl}, which a name alone
 * makes tapline's in-process variant.
 */
class HubPluginByNameIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    private record Result(int exit, String out, String err) {}

    private Result tapline(String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", dir.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().putAll(TestEnv.projectEnv());
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void hubExtractorByNameAloneInstallsFromPypiAndRunsIntoTaplinesTarget() throws Exception {
        // Singer messages for the tap to replay: one stream, records derived from a counter
        List<ObjectNode> records = new ArrayList<>();
        StringBuilder input = new StringBuilder("{\"type\":\"SCHEMA\",\"stream\":\"orders\",\"key_properties\":[\"id\"],"
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"sku\":{\"type\":\"string\"}}}}\n");
        for (int i = 1; i <= 25; i++) {
            ObjectNode r = JSON.createObjectNode().put("id", i).put("sku", "sku-" + (i * 7 % 11));
            records.add(r);
            input.append(JSON.writeValueAsString(JSON.createObjectNode().put("type", "RECORD").put("stream", "orders")
                    .set("record", r))).append('\n');
        }
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/orders.singer.jsonl"), input);
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: tap-singer-jsonl
                      config:
                        local:
                          folders: [%s]   # (its `paths` setting fails on plain strings in 0.1.0)
                  loaders:
                    - name: target-jsonl
                      config:
                        destination_path: out
                """.formatted(dir.resolve("in")));

        Result install = tapline("install");
        assertThat(install.exit()).as(install.err()).isZero();
        Result run = tapline("run", "tap-singer-jsonl", "target-jsonl");
        assertThat(run.exit()).as(run.err()).isZero();

        List<Path> written;
        try (Stream<Path> s = Files.walk(dir.resolve("out"))) {
            written = s.filter(Files::isRegularFile).toList();
        }
        assertThat(written).hasSize(1);
        List<JsonNode> landed = new ArrayList<>();
        for (String line : Files.readAllLines(written.get(0))) {
            landed.add(JSON.readTree(line));
        }
        assertThat(landed).hasSize(records.size());
        for (int i = 0; i < records.size(); i++) {
            JsonNode got = landed.get(i);
            assertThat(got.path("id")).isEqualTo(records.get(i).path("id"));
            assertThat(got.path("sku")).isEqualTo(records.get(i).path("sku"));
            // the Hub's default add_record_metadata: true reached the tap
            assertThat(got.path("_sdc_source_lineno").asInt()).isEqualTo(i + 2);
        }
    }
}
