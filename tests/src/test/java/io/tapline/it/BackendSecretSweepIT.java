package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.it.support.PostgresServer;
import io.tapline.it.support.TestEnv;
import io.tapline.it.support.TestTaps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret sweep over state backend and run history credentials: the PostgreSQL password given in the URI, in
 * {@code MELTANO_STATE_BACKEND_POSTGRESQL_PASSWORD}, in the history URI, and a wrong one, through a run, the state
 * verbs, a migration, {@code runs}/{@code runs show}, and every failure path (backend stopped, credentials
 * refused), all at DEBUG. Every byte tapline printed or wrote (its output, the project folder with its metrics file
 * and state, the temporary folder, and every row of the state, lease and history tables) is searched: each secret
 * appears 0 times.
 */
@Timeout(600)
class BackendSecretSweepIT {
    private static final String WRONG_PASSWORD = "wr0ng-Pa55-9c1e77";

    @TempDir Path dir;
    private PostgresServer server;
    private Path project;
    private Path tmp;
    private Path outputs;
    private int invocation;
    private String envPassword;

    @BeforeEach
    void start() throws IOException {
        server = PostgresServer.start();
        server.createDatabase("state");
        server.createDatabase("history");
        server.createDatabase("migrated");
        envPassword = server.password();
        project = Files.createDirectories(dir.resolve("project"));
        tmp = Files.createDirectories(dir.resolve("tmp"));
        outputs = Files.createDirectories(dir.resolve("outputs"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void projectFile(String stateUri) throws IOException {
        Path tap = TestTaps.script(dir, "gated_tap.py"); // outside the swept folders: the test's input
        Files.writeString(project.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                environments:
                  - name: dev
                state_backend:
                  uri: %s
                tapline:
                  history: postgresql://%s:${HISTORY_PASSWORD}@%s:%d/history
                plugins:
                  extractors:
                    - name: tap-gated
                      executable: %s
                      capabilities: [state]
                      env:
                        LAST_ID: "3"
                        GATE_DIR: %s
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                """.formatted(stateUri, server.user(), server.host(), server.port(), tap, dir));
    }

    private String base() {
        return server.host() + ":" + server.port();
    }

    @Test
    void backendCredentialsAppearNowhere() throws Exception {
        // the password from the environment, the URI without it
        projectFile("postgresql://" + server.user() + "@" + base() + "/state");
        assertThat(tapline("run", "tap-gated", "target-duckdb", "--metrics-file", "metrics.prom")).isZero();
        assertThat(tapline("state", "list")).isZero();
        assertThat(tapline("state", "get", "dev:tap-gated-to-target-duckdb")).isZero();
        assertThat(tapline("runs")).isZero();
        String runId = server.psql("history", "SELECT run_id FROM runs LIMIT 1").trim();
        assertThat(tapline("runs", "show", runId.substring(0, 8))).isZero();
        assertThat(tapline("state", "migrate", "--force", "--to", "postgresql://" + server.user() + ":"
                + server.password() + "@" + base() + "/migrated")).isZero();

        // the password in the URI (through a variable: meltano.yml is the test's input and holds no secret)
        projectFile("postgresql://" + server.user() + ":${STATE_PW}@" + base() + "/state");
        assertThat(tapline("run", "tap-gated", "target-duckdb")).isZero();
        server.stop();
        try {
            assertThat(tapline("run", "tap-gated", "target-duckdb")).isEqualTo(5);
            assertThat(tapline("state", "list")).isEqualTo(5);
        } finally {
            server.restart();
        }

        // a wrong password, in the URI and in the setting (which wins, as in the add-on): refused, and not shown
        projectFile("postgresql://" + server.user() + ":${STATE_PW}@" + base() + "/state");
        envPassword = WRONG_PASSWORD;
        assertThat(tapline("run", "tap-gated", "target-duckdb")).isEqualTo(5);

        List<String> leaks = new ArrayList<>();
        for (Path root : List.of(project, tmp, outputs)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).forEach(f -> {
                    String text = new String(read(f), StandardCharsets.ISO_8859_1);
                    if (text.contains(server.password()) || text.contains(WRONG_PASSWORD)) {
                        leaks.add(f.toString());
                    }
                });
            }
        }
        for (String[] table : new String[][] {{"state", "state"}, {"state", "state_tapline_lease"}, {"history", "runs"},
                {"history", "run_streams"}, {"history", "run_columns"}, {"migrated", "state"}}) {
            String rows = server.psql(table[0], "SELECT t::text FROM " + table[1] + " t");
            if (rows.contains(server.password()) || rows.contains(WRONG_PASSWORD)) {
                leaks.add(table[0] + "." + table[1]);
            }
        }
        assertThat(server.psql("history", "SELECT count(*) FROM runs").trim()).as("runs were recorded").isNotEqualTo("0");
        assertThat(Files.readString(outputs.resolve("1.out")) + Files.readString(outputs.resolve("1.err")))
                .as("the run's output is swept, so it must exist").isNotEmpty();
        assertThat(leaks).as("places holding a backend secret").isEmpty();
    }

    private int tapline(String... args) throws Exception {
        invocation++;
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp,
                "-Dlogback.configurationFile=" + TestEnv.repoRoot().resolve("bin/logback.xml"),
                "-cp", System.getProperty("java.class.path"), "io.tapline.internal.runner.cli.Main", "-p", project.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectOutput(outputs.resolve(invocation + ".out").toFile())
                .redirectError(outputs.resolve(invocation + ".err").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("MELTANO_STATE_BACKEND_POSTGRESQL_PASSWORD", envPassword);
        pb.environment().put("STATE_PW", envPassword);
        pb.environment().put("HISTORY_PASSWORD", server.password());
        pb.environment().put("TMPDIR", tmp.toString());
        pb.environment().put("TAPLINE_LOG_LEVEL", "DEBUG");
        pb.environment().put("TAPLINE_VENV_DIR", TestEnv.venvCache().toString());
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("tapline %s", String.join(" ", args)).isTrue();
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
