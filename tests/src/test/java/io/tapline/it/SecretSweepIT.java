package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tapline.it.support.PodmanImages;
import io.tapline.it.support.SshServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensitive values never reach anything tapline writes, on every path by which it starts a plugin: a
 * run's tap, discovery, a plugin without an executable, {@code invoke}, tap -> mapper -> external target,
 * an Airbyte source locally and in a podman container, and a tap on an SSH remote. Each plugin prints its
 * whole environment and config file to stderr (as careless plugins do) and fails; then every byte tapline
 * wrote (its stdout and stderr, the project folder with state, run history and catalog cache, the metrics
 * file, the alert it posted, and its temporary folder) is searched: each secret appears 0 times. A variable
 * planted in tapline's own environment appears 0 times too: a plugin in the default clean mode never sees it
 * (it would print it).
 */
@Timeout(600)
class SecretSweepIT {
    private static final String API_KEY = "sk-live-8f3a91c2d4e5b6a7";
    private static final String DB_PASSWORD = "hunter2-Pa55w0rd!";
    private static final String MAPPER_KEY = "mapper-k3y-0b1f9e";
    private static final String TARGET_TOKEN = "target-t0ken-77ad21";
    /** Declared nowhere in meltano.yml: secret only because the connector's spec marks it airbyte_secret. */
    private static final String AIRBYTE_TOKEN = "ab-t0ken-5e6f7a8b";
    private static final String PLANTED = "planted-cloud-cred-0c0ffee";
    private static final List<String> SECRETS = List.of(API_KEY, DB_PASSWORD, MAPPER_KEY, TARGET_TOKEN, AIRBYTE_TOKEN,
            PLANTED);

    /** Finds {@code --config FILE} in its arguments, prints its environment and that file to stderr. */
    private static final String LEAK = String.join("\n",
            "B=/bin/busybox",
            "config=; prev=; for a in \"$@\"; do [ \"$prev\" = --config ] && config=$a; prev=$a; done",
            "echo \"LEAKY $(basename \"$0\") $*\" >&2",
            "echo 'environment:' >&2; $B env >&2",
            "[ -n \"$config\" ] && echo \"config: $($B cat \"$config\")\" >&2",
            "");

    @TempDir Path dir;
    private Path project;
    private Path tmp;
    private Path outputs;
    private Path scripts;
    private HttpServer alerts;

    @BeforeEach
    void folders() throws IOException {
        project = Files.createDirectories(dir.resolve("project"));
        tmp = Files.createDirectories(dir.resolve("tmp"));
        outputs = Files.createDirectories(dir.resolve("outputs"));
        scripts = Files.createDirectories(dir.resolve("scripts")); // the test's input: not swept
        Path received = outputs.resolve("alerts.jsonl");
        alerts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        alerts.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Files.write(received, body, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        alerts.start();
    }

    @AfterEach
    void stopAlerts() {
        alerts.stop(0);
    }

    @Test
    void localTapThatFails() throws Exception {
        project(extractor("leaky-tap", script("leaky-tap", LEAK + "exit 1"), "[state]"));

        String err = tapline(4, "run", "leaky-tap", "target-duckdb");

        assertThat(err).contains("LEAKY leaky-tap").contains("\"api_key\":\"****\"").contains("alice");
        sweep();
    }

    @Test
    void aFailedAndThenASuccessfulRun() throws Exception {
        Path failedOnce = dir.resolve("failed-once");
        String tap = script("leaky-tap", LEAK + String.join("\n",
                "echo '{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}},\"key_properties\":[\"id\"]}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1}}'",
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":1}}'",
                "if [ ! -f '" + failedOnce + "' ]; then touch '" + failedOnce + "'; echo \"auth failed: $config\" >&2; exit 1; fi",
                "echo '{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":2}}'",
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":2}}'", ""));
        project(extractor("leaky-tap", tap, "[state]"));

        tapline(4, "run", "leaky-tap", "target-duckdb");
        tapline(0, "run", "leaky-tap", "target-duckdb");

        sweep();
    }

    @Test
    void discoveryThatFails() throws Exception {
        project(extractor("leaky-tap", script("leaky-tap", LEAK + "exit 1"), "[discover, catalog, state]"));

        String err = tapline(4, "run", "leaky-tap", "target-duckdb");

        assertThat(err).contains("LEAKY leaky-tap --config").contains("--discover").contains("\"api_key\":\"****\"");
        sweep();
    }

    @Test
    void pluginWithoutAnExecutableSaysWhatToAdd() throws Exception {
        project(extractor("tap-never-installed", "tap-never-installed", "[state]"));

        String err = tapline(2, "run", "tap-never-installed", "target-duckdb");

        assertThat(err).contains("tap-never-installed").contains("pip_url").contains("executable")
                .doesNotContain("environment {");
        sweep();
    }

    @Test
    void invoke() throws Exception {
        project(extractor("leaky-tap", script("leaky-tap", LEAK + "exit 3"), "[state]"));

        String err = tapline(3, "invoke", "leaky-tap");

        assertThat(err).contains("LEAKY leaky-tap --config").contains("\"api_key\":\"****\"")
                .contains("MELTANO_EXTRACTOR_NAME=leaky-tap"); // the plugin's settings environment reaches it now
        sweep();
    }

    @Test
    void tapThroughAMapperIntoAnExternalTargetThatFails() throws Exception {
        String tap = script("leaky-tap", LEAK + String.join("\n",
                "echo '{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}},\"key_properties\":[\"id\"]}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1}}'", ""));
        String mapper = script("leaky-mapper", LEAK + "cat\n");
        String target = script("leaky-target", LEAK + "cat >/dev/null\nexit 1\n");
        project(extractor("leaky-tap", tap, "[state]") + """
                  mappers:
                    - name: leaky-mapper
                      executable: %s
                      settings:
                        - {name: mapper_key, sensitive: true}
                      config: {mapper_key: $SWEEP_MAPPER_KEY}
                      mappings:
                        - name: leaky-mapping
                          config: {stream_maps: {}}
                  loaders:
                    - name: leaky-target
                      executable: %s
                      settings:
                        - {name: token, kind: password}
                      config: {token: $SWEEP_TARGET_TOKEN, schema: raw}
                """.formatted(mapper, target), false);

        String err = tapline(4, "run", "leaky-tap", "leaky-mapping", "leaky-target");

        assertThat(err).contains("LEAKY leaky-tap").contains("LEAKY leaky-mapper").contains("LEAKY leaky-target")
                .contains("\"mapper_key\":\"****\"").contains("\"token\":\"****\"");
        sweep();
    }

    @Test
    void airbyteSourceRunLocally() throws Exception {
        project(airbyteSource("source-leaky", "executable: " + airbyteScript()));

        String err = tapline(4, "run", "source-leaky", "target-duckdb");

        assertThat(err).contains("LEAKY source-leaky.sh discover").contains("\"api_token\":\"****\"");
        sweep();
    }

    @Test
    void airbyteSourceInAPodmanContainer() throws Exception {
        PodmanImages podman = PodmanImages.setUp(Files.createDirectories(dir.resolve("podman")));
        String image = "localhost/tapline-it-source-leaky:" + Long.toHexString(System.nanoTime());
        podman.importImage(image, "/leaky/source-leaky.sh", Files.createDirectories(dir.resolve("image")));
        airbyteScript();
        String runtime = podman.runtime().stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
        project(airbyteSource("source-leaky", """
                image: %s
                      container:
                        runtime: [%s]
                        network: none
                        run_args: ["-v", "%s:/leaky:ro"]""".formatted(image, runtime, scripts)));

        String err = tapline(4, "run", "source-leaky", "target-duckdb");

        assertThat(err).contains("LEAKY source-leaky.sh discover").contains("\"api_token\":\"****\"");
        sweep();
    }

    @Test
    void tapOnAnSshRemote() throws Exception {
        try (SshServer sshd = SshServer.start(dir.resolve("sshd"))) {
            project(extractor("leaky-tap", script("leaky-tap", LEAK + "exit 1"), "[state]").replace(
                    "      capabilities: [state]\n", """
                          capabilities: [state]
                          ssh:
                            host: %s
                            port: %d
                            user: %s
                            identity_file: %s
                            known_hosts: %s
                    """.formatted(sshd.host(), sshd.port(), sshd.user(), sshd.userKey(), sshd.knownHosts())));

            String err = tapline(4, "run", "leaky-tap", "target-duckdb");

            assertThat(err).contains("LEAKY leaky-tap --config").contains("\"api_key\":\"****\"");
        }
        sweep();
    }

    /** An extractor whose config holds two sensitive settings (one {@code sensitive: true}, one {@code kind: password}). */
    private static String extractor(String name, String executable, String capabilities) {
        return """
                  extractors:
                    - name: %s
                      executable: %s
                      capabilities: %s
                      settings:
                        - {name: api_key, sensitive: true}
                        - {name: db.password, kind: password}
                      config:
                        api_key: $SWEEP_API_KEY
                        user: alice
                        db: {password: $SWEEP_DB_PASSWORD}
                """.formatted(name, executable, capabilities);
    }

    private static String airbyteSource(String name, String where) {
        return """
                  extractors:
                    - name: %s
                      protocol: airbyte
                      %s
                      config: {api_token: $SWEEP_AIRBYTE_TOKEN, user: alice}
                """.formatted(name, where);
    }

    private void project(String plugins) throws IOException {
        project(plugins, true);
    }

    private void project(String plugins, boolean duckdb) throws IOException {
        Files.writeString(project.resolve("meltano.yml"), "version: 1\ndefault_environment: dev\nplugins:\n" + plugins
                + (duckdb ? "  loaders:\n    - name: target-duckdb\n      variant: tapline\n" : ""));
    }

    private String script(String name, String body) throws IOException {
        Path file = scripts.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.toString();
    }

    /**
     * An Airbyte source for busybox (it also runs in the container image, which has nothing else): its spec
     * marks {@code api_token} airbyte_secret; any other command leaks, logs the token in a LOG message on
     * stdout and fails.
     */
    private String airbyteScript() throws IOException {
        Path file = scripts.resolve("source-leaky.sh");
        Files.writeString(file, "#!/bin/busybox sh\n" + String.join("\n",
                "if [ \"$1\" = spec ]; then",
                "  echo '{\"type\":\"SPEC\",\"spec\":{\"connectionSpecification\":{\"type\":\"object\",\"properties\":"
                        + "{\"api_token\":{\"type\":\"string\",\"airbyte_secret\":true},\"user\":{\"type\":\"string\"}}}}}'",
                "  exit 0",
                "fi", LEAK.replace("$(basename \"$0\")", "source-leaky.sh"),
                "token=$($B sed -n 's/.*\"api_token\": *\"\\([^\"]*\\)\".*/\\1/p' \"$config\")",
                "echo \"{\\\"type\\\":\\\"LOG\\\",\\\"log\\\":{\\\"level\\\":\\\"ERROR\\\",\\\"message\\\":\\\"auth failed for $token\\\"}}\"",
                "echo \"{\\\"type\\\":\\\"TRACE\\\",\\\"trace\\\":{\\\"type\\\":\\\"ERROR\\\",\\\"emitted_at\\\":1,\\\"error\\\":"
                        + "{\\\"message\\\":\\\"bad token $token\\\",\\\"failure_type\\\":\\\"config_error\\\"}}}\"",
                "exit 1", ""));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file.toString();
    }

    /** Runs the CLI in its own JVM with the secrets and the planted variable in its environment; returns its stderr. */
    private String tapline(int expectedExit, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                "-Dlogback.configurationFile=" + Path.of(System.getProperty("user.dir")).resolve("../bin/logback.xml").normalize(),
                "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", project.toString()));
        argv.addAll(List.of(args));
        if (args[0].equals("run")) {
            argv.addAll(List.of("--metrics-file", outputs.resolve("metrics.prom").toString(),
                    "--alert-webhook", "http://127.0.0.1:" + alerts.getAddress().getPort() + "/alert"));
        }
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(outputs.resolve("tapline.out").toFile())
                .redirectError(outputs.resolve("tapline.err").toFile());
        Map<String, String> env = new HashMap<>(pb.environment());
        env.put("SWEEP_API_KEY", API_KEY);
        env.put("SWEEP_DB_PASSWORD", DB_PASSWORD);
        env.put("SWEEP_MAPPER_KEY", MAPPER_KEY);
        env.put("SWEEP_TARGET_TOKEN", TARGET_TOKEN);
        env.put("SWEEP_AIRBYTE_TOKEN", AIRBYTE_TOKEN);
        env.put("TAPLINE_TEST_PLANTED_CLOUD_CREDENTIAL", PLANTED);
        env.put("TMPDIR", tmp.toString());
        env.put("TAPLINE_LOG_LEVEL", "DEBUG");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(outputs.resolve("tapline.err"));
        assertThat(p.exitValue()).as("exit code; stderr:\n%s", err).isEqualTo(expectedExit);
        return err;
    }

    /** Every file tapline wrote, searched for every secret and the planted variable. */
    private void sweep() throws IOException {
        Map<String, List<String>> found = new HashMap<>();
        for (Path root : List.of(project, tmp, outputs)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    String text = new String(read(f), StandardCharsets.ISO_8859_1);
                    for (String s : SECRETS) {
                        if (text.contains(s)) {
                            found.computeIfAbsent(s.equals(PLANTED) ? "planted variable"
                                    : "secret #" + (SECRETS.indexOf(s) + 1), k -> new ArrayList<>()).add(f.toString());
                        }
                    }
                });
            }
        }
        assertThat(found).as("files holding a secret, or the variable planted in tapline's environment").isEmpty();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("tapline-")).toList())
                    .as("private plugin folders left in the temporary folder").isEmpty();
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
