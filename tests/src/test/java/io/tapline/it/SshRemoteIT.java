package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.Pipeline;
import io.tapline.PipelineOptions;
import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.SshEndpoint;
import io.tapline.SshRemote;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.PostgresServer;
import io.tapline.it.support.ProcessExits;
import io.tapline.it.support.SshServer;
import io.tapline.it.support.TestEnv;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.TaplineException;
import io.tapline.internal.runner.process.VirtualEnvs;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Taps run on "another host" over SSH and taps reaching their source through an SSH tunnel, against a real
 * OpenSSH server the test starts on loopback with generated host and user keys.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a cold venv install may be part of it
class SshRemoteIT {
    @TempDir static Path serverDir;
    private static SshServer sshd;

    @TempDir Path dir;

    @BeforeAll
    static void startSshd() {
        sshd = SshServer.start(serverDir.resolve("sshd"));
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private SshEndpoint endpoint(Path knownHosts) {
        return SshEndpoint.builder(sshd.host()).port(sshd.port()).user(sshd.user()).identityFile(sshd.userKey())
                .knownHosts(knownHosts).build();
    }

    @Test
    void remoteTapStreamsIntoDuckDbResumesFromStateAndLeavesNoFilesBehind() throws IOException {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        Set<Path> tempBefore = remoteTempFolders();
        Pipeline.Builder builder = Pipeline.builder()
                .target(allocator -> DuckDbTarget.open(DuckDbTarget.file(dir.resolve("w.duckdb")).schema("raw").build(),
                        allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .stateId("remote:counting");
        Tap.Builder remoteTap = Tap.singer("counting-tap").command(List.of(tap.toString()))
                .remote(SshRemote.of(endpoint(sshd.knownHosts())));

        RunResult first = builder.tap(remoteTap.env("LAST_ID", "7").build()).build().run();
        assertThat(first.rowsWritten()).isEqualTo(7);
        assertThat(first.finalState()).contains(new StateBlob("{\"bookmarks\":{\"items\":{\"last_id\":7}}}"));

        // the stored state goes to the remote side as --state: only the new ids come
        RunResult second = builder.tap(remoteTap.env("LAST_ID", "10").build()).build().run();
        assertThat(second.rowsWritten()).isEqualTo(3);
        assertThat(Duck.query(dir.resolve("w.duckdb"), "SELECT count(*) AS n, count(DISTINCT id) AS d, max(id) AS m"
                + " FROM raw.items")).containsExactly(Map.of("n", 10L, "d", 10L, "m", 10L));
        assertThat(remoteTempFolders()).isEqualTo(tempBefore);
    }

    @Test
    void remoteTapFailureKeepsCommittedRowsAndStillDeletesTheRemoteFiles() throws IOException {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        Set<Path> tempBefore = remoteTempFolders();
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("counting-tap").command(List.of(tap.toString())).env("CRASH_AT_ID", "5")
                        .remote(SshRemote.of(endpoint(sshd.knownHosts()))).build())
                .target(allocator -> DuckDbTarget.open(DuckDbTarget.file(dir.resolve("w.duckdb")).build(), allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .stateId("remote:crash")
                .build();

        assertThatThrownBy(pipeline::run).isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("exited with code 3").hasMessageContaining("simulated failure before record 5");
        assertThat(Duck.count(dir.resolve("w.duckdb"), "items")).isEqualTo(3); // up to the STATE after id 3
        assertThat(FileStateStore.at(dir.resolve("state")).read("remote:crash"))
                .contains(new StateBlob("{\"bookmarks\":{\"items\":{\"last_id\":3}}}"));
        assertThat(remoteTempFolders()).isEqualTo(tempBefore);
    }

    @Test
    void hostKeyMismatchIsRefusedBeforeAnythingRuns() {
        Path marker = dir.resolve("ran");
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("touch-tap").command(List.of("touch", marker.toString()))
                        .remote(SshRemote.of(endpoint(sshd.wrongKnownHosts()))).build())
                .target(allocator -> DuckDbTarget.open(DuckDbTarget.file(dir.resolve("w.duckdb")).build(), allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .build();

        assertThatThrownBy(pipeline::run).isInstanceOf(ConfigException.class)
                .hasMessageContaining("host key of " + sshd.user() + "@127.0.0.1:" + sshd.port())
                .hasMessageContaining("does not match")
                .satisfies(e -> assertThat(((TaplineException) e).errorCode()).isEqualTo(ErrorCode.SSH_HOST_KEY_REJECTED));
        assertThat(marker).doesNotExist();
    }

    @Test
    void idleRemoteTapIsKilledWithItsChildren() throws Exception {
        String mark = "tapline-idle-" + System.nanoTime();
        Path tap = dir.resolve("idle-tap.sh");
        // a child process that outlives a plain kill of the shell: the whole remote process group must go
        Files.writeString(tap, "#!/usr/bin/env bash\nsleep 600 " + "&& echo " + mark + " &\nexec sleep 601\n");
        tap.toFile().setExecutable(true);
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("idle-tap").command(List.of(tap.toString())).env("MARK", mark)
                        .remote(SshRemote.of(endpoint(sshd.knownHosts()))).build())
                .target(allocator -> DuckDbTarget.open(DuckDbTarget.file(dir.resolve("w.duckdb")).build(), allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .options(PipelineOptions.defaults().withIdleTimeout(Duration.ofSeconds(2)))
                .build();

        assertThatThrownBy(pipeline::run).isInstanceOf(PluginFailedException.class)
                .satisfies(e -> assertThat(((TaplineException) e).errorCode()).isEqualTo(ErrorCode.PLUGIN_TIMEOUT));
        // the kill is sent; each remote process that is left gets 15 s to exit (a killed process may await reaping)
        sleepersOf(mark).forEach(h -> ProcessExits.await(h.pid(), Duration.ofSeconds(15)));
        assertThat(sleepersOf(mark)).isEmpty();
    }

    @Test
    void projectFileRunsAPyPiTapFromARemoteVirtualenv() throws IOException {
        // the "remote host" is this one: the remote venv is the cached venv of tap-jsonl
        Path venv = new VirtualEnvs(TestEnv.venvCache()).install("tap-jsonl", "tap-jsonl==0.3.1", "python3", false);
        Path data = Files.createDirectories(dir.resolve("remote-data"));
        Files.write(data.resolve("users.jsonl"), List.of("{\"id\": 1, \"name\": \"Ada\"}", "{\"id\": 2, \"name\": \"Bo\"}",
                "{\"id\": 3, \"name\": \"Cy\"}"));
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: test
                plugins:
                  extractors:
                    - name: tap-jsonl
                      config:
                        path: data/*.jsonl
                        stream_name: users
                      ssh:
                        host: %s
                        port: %d
                        user: %s
                        identity_file: %s
                        known_hosts: %s
                        venv: %s
                        working_directory: %s
                  loaders:
                    - name: target-duckdb
                      config:
                        filepath: out.duckdb
                """.formatted(sshd.host(), sshd.port(), sshd.user(), sshd.userKey(), sshd.knownHosts(), venv,
                dir.resolve("remote-data").getParent().resolve("remote-root")));
        // data/*.jsonl is relative to the remote working directory
        Files.createDirectories(dir.resolve("remote-root"));
        Files.move(data, dir.resolve("remote-root/data"));

        Project project = Project.open(dir, TestEnv.projectEnv());
        RunResult result = project.pipeline("tap-jsonl", "target-duckdb", RunOptions.defaults()).run();

        assertThat(result.rowsWritten()).isEqualTo(3);
        assertThat(Duck.query(dir.resolve("out.duckdb"), "SELECT id, name FROM users ORDER BY id")).containsExactly(
                Map.of("id", 1L, "name", "Ada"), Map.of("id", 2L, "name", "Bo"), Map.of("id", 3L, "name", "Cy"));
    }

    @Test
    void tapReachesPostgresOnlyThroughTheTunnel() throws IOException {
        int pgPort;
        try (PostgresServer pg = PostgresServer.start()) {
            pgPort = pg.port();
            pg.createDatabase("shop");
            pg.psql("shop", "CREATE TABLE orders (id int PRIMARY KEY, item text);"
                    + " INSERT INTO orders SELECT g, 'item ' || g FROM generate_series(1, 12) g;");
            Files.writeString(dir.resolve("meltano.yml"), """
                    version: 1
                    default_environment: test
                    plugins:
                      extractors:
                        - name: tap-postgres
                          variant: meltanolabs
                          pip_url: meltanolabs-tap-postgres==0.10.0
                          config:
                            host: db.unreachable.invalid   # replaced by the tunnel's end
                            port: 1
                            user: %s
                            password: '%s'
                            database: shop
                            filter_schemas: [public]
                          select: [public-orders.*]
                          ssh_tunnel:
                            host: %s
                            port: %d
                            user: %s
                            identity_file: %s
                            known_hosts: %s
                            target_host: %s
                            target_port: %d
                      loaders:
                        - name: target-duckdb
                          config:
                            filepath: out.duckdb
                    """.formatted(pg.user(), pg.password(), sshd.host(), sshd.port(), sshd.user(), sshd.userKey(),
                    sshd.knownHosts(), pg.host(), pg.port()));

            Project project = Project.open(dir, TestEnv.projectEnv());
            RunResult result = project.pipeline("tap-postgres", "target-duckdb", RunOptions.defaults()).run();

            assertThat(result.rowsWritten()).isEqualTo(12);
            assertThat(Duck.query(dir.resolve("out.duckdb"), "SELECT count(*) AS n, sum(id)::BIGINT AS s FROM public_orders"))
                    .containsExactly(Map.of("n", 12L, "s", 78L));
        }
        // the bytes went through sshd
        assertThat(sshd.log()).containsPattern("server_request_direct_tcpip: .*target 127\\.0\\.0\\.1 port " + pgPort);
    }

    private static Set<Path> remoteTempFolders() throws IOException {
        Path tmp = Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp"));
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("tapline-remote-")).collect(Collectors.toSet());
        }
    }

    private static List<ProcessHandle> sleepersOf(String mark) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains("sleep 60"))
                .orElse(false) && environOf(h).contains(mark)).toList();
    }

    private static String environOf(ProcessHandle h) {
        try {
            return Files.readString(Path.of("/proc/" + h.pid() + "/environ"));
        } catch (IOException e) {
            return ""; // gone, or not ours
        }
    }
}
