package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensitive settings never reach anything tapline writes. A tap that prints its whole config to stderr
 * (as careless taps do) fails once and then succeeds; afterwards every byte tapline wrote (its stdout and
 * stderr, the project folder with state, lock and warehouse, and its temporary folder) is searched for
 * the secret values.
 */
@Timeout(240)
class SecretSweepIT {
    private static final String API_KEY = "sk-live-8f3a91c2d4e5b6a7";
    private static final String DB_PASSWORD = "hunter2-Pa55w0rd!";

    @TempDir Path dir;

    @Test
    void secretValuesAppearNowhereAfterAFailedAndASuccessfulRun() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path outputs = Files.createDirectories(dir.resolve("outputs"));
        Path tap = dir.resolve("leaky-tap.sh"); // outside the swept folders: it is the test's input
        Files.writeString(tap, String.join("\n", "#!/usr/bin/env bash",
                "config=\"$2\"",
                "echo \"starting with config: $(cat \"$config\")\" >&2",
                "echo '{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}},\"key_properties\":[\"id\"]}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1}}'",
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":1}}'",
                "if [ ! -f '" + dir.resolve("failed-once") + "' ]; then",
                "  touch '" + dir.resolve("failed-once") + "'",
                "  echo \"auth failed for key $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[\"api_key\"])' \"$config\")\" >&2",
                "  exit 1",
                "fi",
                "echo '{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":2}}'",
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":2}}'", ""));
        Files.setPosixFilePermissions(tap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(project.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: leaky-tap
                      executable: %s
                      capabilities: [state]
                      settings:
                        - {name: api_key, sensitive: true}
                        - {name: db.password, kind: password}
                      config:
                        api_key: $LEAKY_TAP_API_KEY
                        user: alice
                        db: {password: $LEAKY_TAP_DB_PASSWORD}
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                """.formatted(tap));

        int first = tapline(project, tmp, outputs.resolve("run1"), "DEBUG");
        int second = tapline(project, tmp, outputs.resolve("run2"), "INFO");

        assertThat(first).isEqualTo(4);
        assertThat(second).isZero();
        String err1 = Files.readString(outputs.resolve("run1.err"));
        assertThat(err1).as("the tap printed its config: masked").contains("\"api_key\":\"****\"")
                .contains("\"password\":\"****\"").contains("auth failed for key ****").contains("alice");
        List<String> leaks = new ArrayList<>();
        for (Path root : List.of(project, tmp, outputs)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    String text = new String(read(f), StandardCharsets.ISO_8859_1);
                    if (text.contains(API_KEY) || text.contains(DB_PASSWORD)) {
                        leaks.add(f.toString());
                    }
                });
            }
        }
        assertThat(leaks).as("files holding a secret value").isEmpty();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("tapline-")).toList())
                    .as("private plugin folders left in the temporary folder").isEmpty();
        }
    }

    private int tapline(Path project, Path tmp, Path output, String level) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                "-Dlogback.configurationFile=" + Path.of(System.getProperty("user.dir")).resolve("../bin/logback.xml").normalize(),
                "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", project.toString(), "run", "leaky-tap", "target-duckdb"))
                .redirectOutput(output.resolveSibling(output.getFileName() + ".out").toFile())
                .redirectError(output.resolveSibling(output.getFileName() + ".err").toFile());
        Map<String, String> env = new HashMap<>(pb.environment());
        env.put("LEAKY_TAP_API_KEY", API_KEY);
        env.put("LEAKY_TAP_DB_PASSWORD", DB_PASSWORD);
        env.put("TMPDIR", tmp.toString());
        env.put("TAPLINE_LOG_LEVEL", level);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
