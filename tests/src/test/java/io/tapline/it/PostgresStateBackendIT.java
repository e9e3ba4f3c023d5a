package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.Duck;
import io.tapline.it.support.PostgresServer;
import io.tapline.it.support.TaplineCli;
import io.tapline.it.support.TestTaps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * State, run leases and faults with {@code state_backend.uri: postgresql://...} against a real PostgreSQL server
 * (Debian's, started on loopback by {@link PostgresServer}), tapline running as its own JVM each time. The table is
 * read directly with {@code psql} to check what was committed. Each test gets its own database.
 */
@Timeout(600)
class PostgresStateBackendIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATE_ID = "dev:tap-gated-to-target-duckdb";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);

    private static PostgresServer server;

    @TempDir Path dir;
    private String database;
    private final ExecutorService pipes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fifo");
        t.setDaemon(true);
        return t;
    });

    @BeforeAll
    static void startServer() {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshDatabase() {
        database = "state_" + DATABASES.incrementAndGet();
        server.createDatabase(database);
    }

    @AfterEach
    void stopPipes() {
        pipes.shutdownNow();
    }

    private String uri() {
        return "postgresql://" + server.user() + ":" + server.password() + "@" + server.host() + ":" + server.port() + "/"
                + database;
    }

    /** The project: the gated tap into DuckDB, state in PostgreSQL with a short lease. */
    private void project(String uri, int lastId, int gateAfter) throws IOException {
        project(uri, lastId, gateAfter, "");
    }

    private void project(String uri, int lastId, int gateAfter, String more) throws IOException {
        Path tap = TestTaps.script(dir, "gated_tap.py");
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                environments:
                  - name: dev
                state_backend:
                  uri: %s
                  lease_ttl_seconds: %d
                  lease_heartbeat_seconds: 1
                plugins:
                  extractors:
                    - name: tap-gated
                      executable: %s
                      capabilities: [state]
                      env:
                        LAST_ID: "%d"
                        GATE_AFTER_ID: "%d"
                        GATE_DIR: %s
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                """.formatted(uri, LEASE_TTL.toSeconds(), tap, lastId, gateAfter, dir) + more);
    }

    private TaplineCli.Result run(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "tap-gated", "target-duckdb"));
        args.addAll(List.of(extra));
        return TaplineCli.run(dir, args.toArray(String[]::new));
    }

    /** The committed state as the table holds it, read with psql: completed_state's singer_state. */
    private JsonNode storedState() throws IOException {
        String row = server.psql(database, "SELECT completed_state FROM state WHERE state_id = '" + STATE_ID + "'").trim();
        return row.isEmpty() ? JSON.nullNode() : JSON.readTree(row).path("singer_state");
    }

    private List<Integer> ids() {
        return Duck.query(dir.resolve("warehouse.duckdb"), "SELECT id FROM items ORDER BY id").stream()
                .map(r -> ((Number) r.get("id")).intValue()).toList();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    private long starts() throws IOException {
        Path f = dir.resolve("starts");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    @Test
    void aRunThenAResumedRunFromTheStateInPostgresInTheAddOnsLayout() throws Exception {
        project(uri(), 6, 0);
        TaplineCli.Result first = run();
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(storedState().path("bookmarks").path("items").path("last_id").asInt()).isEqualTo(6);
        assertThat(server.psql(database, "SELECT column_name || ' ' || data_type FROM information_schema.columns "
                + "WHERE table_name = 'state' ORDER BY ordinal_position").lines().toList())
                .containsExactly("state_id character varying", "partial_state text", "completed_state text",
                        "updated_at timestamp without time zone");

        project(uri(), 9, 0);
        TaplineCli.Result second = run();
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(storedState().path("bookmarks").path("items").path("last_id").asInt()).isEqualTo(9);
        assertThat(ids()).isEqualTo(range(1, 9));
        List<String> starts = Files.readAllLines(dir.resolve("starts"));
        assertThat(starts.get(starts.size() - 1).split(" ")[2]).as("the second run resumed from the stored state")
                .isEqualTo("6");
        assertThat(first.output() + second.output()).doesNotContain(server.password());
    }

    /** The CLI in this JVM ({@code Main.execute}): the state verbs need no process of their own. */
    private TaplineCli.Result cli(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        List<String> argv = new ArrayList<>(List.of("-p", dir.toString()));
        argv.addAll(List.of(args));
        int exit = io.tapline.internal.runner.cli.Main.execute(new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(out, true), argv.toArray(String[]::new));
        return new TaplineCli.Result(exit, out.toString());
    }

    @Test
    void everyStateVerbWorksOnPostgres() throws Exception {
        project(uri(), 3, 0);
        assertThat(cli("run", "tap-gated", "target-duckdb").exit()).isZero();
        TaplineCli.Result list = cli("state", "list");
        assertThat(list.output().lines()).contains(STATE_ID);
        TaplineCli.Result get = cli("state", "get", STATE_ID);
        assertThat(JSON.readTree(get.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                .path("singer_state")).isEqualTo(storedState());

        assertThat(cli("state", "set", "--force", "dev:other", "{\"singer_state\":{\"a\":{\"x\":1}}}")
                .exit()).isZero();
        assertThat(cli("state", "merge", "dev:other", "{\"singer_state\":{\"a\":{\"y\":2}}}").exit())
                .isZero();
        // a merge is kept apart in partial_state, as Meltano does; get shows both merged
        assertThat(JSON.readTree(server.psql(database, "SELECT partial_state FROM state WHERE state_id = 'dev:other'")))
                .isEqualTo(JSON.readTree("{\"singer_state\":{\"a\":{\"y\":2}}}"));
        assertThat(getState("dev:other")).isEqualTo(JSON.readTree("{\"a\":{\"x\":1,\"y\":2}}"));

        assertThat(cli("state", "copy", "--force", "dev:other", "dev:copy").exit()).isZero();
        assertThat(getState("dev:copy")).isEqualTo(getState("dev:other"));
        assertThat(cli("state", "move", "--force", "dev:copy", "dev:moved").exit()).isZero();
        assertThat(cli("state", "list", "--pattern", "dev:*o*").output().lines())
                .contains("dev:other", "dev:moved").doesNotContain("dev:copy");
        assertThat(cli("state", "clear", "--force", "dev:moved").exit()).isZero();
        assertThat(server.psql(database, "SELECT count(*) FROM state WHERE state_id = 'dev:moved'").trim()).isEqualTo("0");

        // migrate: everything to a file:// backend and back into a second PostgreSQL database
        Path files = dir.resolve("migrated");
        TaplineCli.Result out = cli("state", "migrate", "--force", "--to", files.toUri().toString());
        assertThat(out.exit()).as(out.output()).isZero();
        assertThat(Files.readString(files.resolve(STATE_ID).resolve("state.json"))).contains("\"last_id\":3");
        String second = database + "_b";
        server.createDatabase(second);
        String to = uri().replace("/" + database, "/" + second);
        out = cli("state", "migrate", "--force", "--to", to);
        assertThat(out.exit()).as(out.output()).isZero();
        assertThat(out.output()).doesNotContain(server.password());
        assertThat(server.psql(second, "SELECT state_id FROM state ORDER BY state_id").lines().toList())
                .containsExactlyInAnyOrder(STATE_ID, "dev:other");
    }

    private JsonNode getState(String id) throws IOException {
        TaplineCli.Result get = cli("state", "get", id);
        assertThat(get.exit()).as(get.output()).isZero();
        return JSON.readTree(get.output().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                .path("singer_state");
    }

    @Test
    void runHistoryInPostgresKeepsTheDuckDbTablesAndTaplineRunsReadsIt() throws Exception {
        String history = database + "_history";
        server.createDatabase(history);
        String historyUri = uri().replace("/" + database, "/" + history);
        project(uri(), 3, 0, "tapline:\n  history: " + historyUri + "\n");
        assertThat(cli("run", "tap-gated", "target-duckdb").exit()).isZero();
        project(uri(), 5, 0, "tapline:\n  history: " + historyUri + "\n");
        assertThat(cli("run", "tap-gated", "target-duckdb").exit()).isZero();

        assertThat(server.psql(history, "SELECT status || ' ' || (rows_committed IS NOT NULL) || ' ' || state_id FROM runs "
                + "ORDER BY started_at").lines().toList())
                .containsExactly("success true " + STATE_ID, "success true " + STATE_ID);
        assertThat(server.psql(history, "SELECT stream FROM run_streams").lines().toList()).containsExactly("items", "items");
        assertThat(server.psql(history, "SELECT count(*) FROM run_columns").trim()).isNotEqualTo("0");
        String everything = server.psql(history, "SELECT r::text FROM runs r") + server.psql(history,
                "SELECT s::text FROM run_streams s");
        assertThat(everything).doesNotContain(server.password());

        TaplineCli.Result runs = cli("runs");
        assertThat(runs.exit()).as(runs.output()).isZero();
        assertThat(runs.output().lines().filter(l -> l.contains("tap-gated-to-target-duckdb")).count()).isEqualTo(2);
        String runId = server.psql(history, "SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1").trim();
        TaplineCli.Result show = cli("runs", "show", runId.substring(0, 8));
        assertThat(show.exit()).as(show.output()).isZero();
        assertThat(show.output()).contains(runId).contains("stream items:").contains("\"last_id\":5");
    }

    /**
     * Meltano 4 from PyPI has no {@code postgresql://} state backend of its own (the PostgreSQL add-on is not
     * published there), but with {@code meltano[postgres]} its system database on PostgreSQL keeps state in a
     * {@code state} table with the add-on's columns. So the hand-over runs through that table: Meltano's systemdb and
     * tapline's {@code postgresql://} backend on one database. Meltano creates its system tables first (its migrations
     * refuse a {@code state} table they did not create).
     */
    @Test
    void meltanoAndTaplineHandStateOverThroughTheSameTable() throws Exception {
        Path meltano = new io.tapline.internal.runner.process.VirtualEnvs(io.tapline.it.support.TestEnv.venvCache())
                .install("meltano4-postgres", "meltano[postgres]==4.4.1", "python3", false).resolve("bin/meltano");
        Path mp = dir.resolve("meltano-project");
        Files.createDirectories(mp);
        Files.writeString(mp.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                project_id: 3c1bd1b7-0a8e-4a43-9d6e-55c2d5b2a2a1
                send_anonymous_usage_stats: false
                environments:
                  - name: dev
                state_backend:
                  uri: systemdb
                """);
        String systemDb = "postgresql+psycopg://" + server.user() + ":" + server.password() + "@" + server.host() + ":"
                + server.port() + "/" + database;
        meltano(meltano, mp, systemDb, "state", "list"); // creates Meltano's system tables

        project(uri(), 3, 0);
        TaplineCli.Result first = TaplineCli.run(dir, "run", "tap-gated", "target-duckdb");
        assertThat(first.exit()).as(first.output()).isZero();
        JsonNode read = JSON.readTree(lastJsonLine(meltano(meltano, mp, systemDb, "state", "get", STATE_ID)));
        assertThat(read.path("singer_state").path("bookmarks").path("items").path("last_id").asInt()).isEqualTo(3);

        meltano(meltano, mp, systemDb, "state", "set", "--force", STATE_ID,
                "{\"singer_state\": {\"bookmarks\": {\"items\": {\"last_id\": 1}}}}");
        String table = server.psql(database, "SELECT state_id, partial_state, completed_state FROM state");
        project(uri(), 5, 0);
        TaplineCli.Result second = TaplineCli.run(dir, "run", "tap-gated", "target-duckdb");
        assertThat(second.exit()).as(second.output()).isZero();
        List<String> starts = Files.readAllLines(dir.resolve("starts"));
        assertThat(starts.get(starts.size() - 1).split(" ")[2]).as("tapline resumed from Meltano's state; the table held:%n%s%n%s", table, second.output()).isEqualTo("1");

        JsonNode after = JSON.readTree(lastJsonLine(meltano(meltano, mp, systemDb, "state", "get", STATE_ID)));
        assertThat(after.path("singer_state").path("bookmarks").path("items").path("last_id").asInt()).isEqualTo(5);
    }

    private static String lastJsonLine(String output) {
        return output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(() ->
                new AssertionError("no JSON in Meltano's output:\n" + output));
    }

    private static String meltano(Path meltano, Path project, String databaseUri, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(meltano.toString()));
        argv.addAll(List.of(args));
        Path log = Files.createTempFile(project, "meltano-", ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(java.util.Map.of("MELTANO_DATABASE_URI", databaseUri,
                "MELTANO_SEND_ANONYMOUS_USAGE_STATS", "false", "MELTANO_DISABLE_TRACKING", "true", "NO_COLOR", "1"));
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("meltano %s", String.join(" ", args)).isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as("meltano %s:%n%s", String.join(" ", args), out).isZero();
        return out;
    }

    @Test
    void anUnreachableBackendExitsFiveNamingItMaskedAndNothingRuns() throws Exception {
        project(uri(), 3, 0);
        server.stop();
        try {
            TaplineCli.Result r = run();
            assertThat(r.exit()).as(r.output()).isEqualTo(5);
            assertThat(r.output()).contains("postgresql://***@127.0.0.1:" + server.port() + "/" + database)
                    .doesNotContain(server.password());
            assertThat(starts()).as("the tap must not start").isZero();
            TaplineCli.Result list = TaplineCli.run(dir, "state", "list");
            assertThat(list.exit()).isEqualTo(5);
            assertThat(list.output()).doesNotContain(server.password());
        } finally {
            server.restart();
        }
    }

    @Test
    void wrongCredentialsExitFiveWithoutShowingThem() throws Exception {
        project(uri().replace(server.password(), "wrong-pw-123"), 3, 0);
        TaplineCli.Result r = run();
        assertThat(r.exit()).as(r.output()).isEqualTo(5);
        assertThat(r.output()).contains("credentials refused").contains("postgresql://***@")
                .doesNotContain("wrong-pw-123");
        assertThat(starts()).isZero();
    }

    /** Opens the gate FIFOs: {@code ready} (the tap writes its pid) and {@code go} (the test releases it). */
    private void gate() throws Exception {
        for (String name : List.of("ready", "go")) {
            Process p = new ProcessBuilder("mkfifo", dir.resolve(name).toString()).start();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
    }

    /** Blocks until the gated tap says it is waiting; returns its pid. */
    private long awaitGate() throws Exception {
        Future<String> line = pipes.submit(() -> {
            try (BufferedReader r = Files.newBufferedReader(dir.resolve("ready"))) {
                return r.readLine();
            }
        });
        return Long.parseLong(line.get(3, TimeUnit.MINUTES).trim());
    }

    private void openGate() throws Exception {
        pipes.submit(() -> {
            try (Writer w = Files.newBufferedWriter(dir.resolve("go"), StandardCharsets.UTF_8)) {
                w.write("go\n");
            }
            return null;
        }).get(1, TimeUnit.MINUTES);
    }

    @Test
    void backendStoppedMidRunFailsTheRunKeepsTheSavedStateAndTheNextRunResumes() throws Exception {
        project(uri(), 4, 0);
        assertThat(run().exit()).isZero();
        JsonNode before = storedState();

        project(uri(), 8, 6);
        gate();
        Path log = dir.resolve("midrun.log");
        Process running = TaplineCli.start(dir, log, "run", "tap-gated", "target-duckdb");
        awaitGate(); // records 5 and 6 are in flight, nothing committed yet (the commit interval is 60 s)
        server.stop();
        TaplineCli.Result r;
        try {
            openGate();
            r = TaplineCli.await(running, log, Duration.ofMinutes(3));
        } finally {
            server.restart();
        }
        assertThat(r.exit()).as(r.output()).isEqualTo(5);
        assertThat(r.output()).contains("postgresql://***@").doesNotContain(server.password());
        assertThat(storedState()).as("the state saved before the outage stays, whole").isEqualTo(before);

        Files.delete(dir.resolve("go")); // no gate from here on
        TaplineCli.Result resumed = runOnceTheLeaseIsFree(Duration.ofMinutes(2));
        assertThat(resumed.exit()).as(resumed.output()).isZero();
        assertThat(storedState().path("bookmarks").path("items").path("last_id").asInt()).isEqualTo(8);
        assertThat(ids()).isEqualTo(range(1, 8)); // keyed: rows the failed run loaded are replaced, not doubled
        List<String> starts = Files.readAllLines(dir.resolve("starts"));
        assertThat(starts.get(starts.size() - 1).split(" ")[2]).as("resumed from the state saved before the outage")
                .isEqualTo("4");
    }

    /**
     * Runs until a run is not refused for a live lease (exit 6): a run that died, or could not release its lease
     * because the backend was down, leaves it to expire. Each attempt is a whole JVM start; bounded by {@code within}.
     */
    private TaplineCli.Result runOnceTheLeaseIsFree(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            TaplineCli.Result r = run();
            if (r.exit() != 6 || System.nanoTime() > deadline) {
                return r;
            }
            assertThat(r.output()).contains("already running");
        }
    }

    @Test
    void eightProcessesOnOneStateIdRunOneAtATimeAndAKilledHolderIsFollowedWithinTheLeaseExpiry() throws Exception {
        project(uri(), 5, 2);
        gate();
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            logs.add(dir.resolve("contender-" + i + ".log"));
            processes.add(TaplineCli.start(dir, logs.get(i), "run", "tap-gated", "target-duckdb"));
        }
        long gatedTap = awaitGate(); // one of them holds the lease and its tap waits at the gate
        int winner = -1;
        for (int i = 0; i < 8; i++) {
            long pid = processes.get(i).pid();
            if (ProcessHandle.of(gatedTap).flatMap(ProcessHandle::parent).stream()
                    .flatMap(p -> java.util.stream.Stream.iterate(p, h -> h.parent().orElse(null))
                            .takeWhile(java.util.Objects::nonNull))
                    .anyMatch(h -> h.pid() == pid)) {
                winner = i;
            }
        }
        assertThat(winner).as("the gated tap belongs to one of the eight").isNotNegative();
        for (int i = 0; i < 8; i++) {
            if (i != winner) { // every other run is refused while the winner holds the lease
                TaplineCli.Result r = TaplineCli.await(processes.get(i), logs.get(i), Duration.ofMinutes(3));
                assertThat(r.exit()).as(r.output()).isEqualTo(6);
                assertThat(r.output()).contains("already running");
            }
        }
        assertThat(processes.get(winner).isAlive()).isTrue();
        assertThat(starts()).as("only the holder's tap ran").isEqualTo(1);
        openGate();
        TaplineCli.Result won = TaplineCli.await(processes.get(winner), logs.get(winner), Duration.ofMinutes(3));
        assertThat(won.exit()).as(won.output()).isZero();
        assertThat(storedState().path("bookmarks").path("items").path("last_id").asInt()).isEqualTo(5);
        assertThat(ids()).isEqualTo(range(1, 5));
        assertThat(server.psql(database, "SELECT count(*) FROM state_tapline_lease").trim()).isEqualTo("0");

        // SIGKILL the holder: its lease is left behind and the next run gets it once it expires
        project(uri(), 9, 7);
        Path log = dir.resolve("killed.log");
        Process holder = TaplineCli.start(dir, log, "run", "tap-gated", "target-duckdb");
        long tapPid = awaitGate();
        holder.destroyForcibly(); // SIGKILL
        assertThat(holder.waitFor(1, TimeUnit.MINUTES)).isTrue();
        ProcessHandle.of(tapPid).ifPresent(ProcessHandle::destroyForcibly); // the orphaned tap, still at the gate
        double expiresAt = Double.parseDouble(server.psql(database,
                "SELECT extract(epoch FROM expires_at) FROM state_tapline_lease WHERE state_id = '" + STATE_ID + "'").trim());
        Files.delete(dir.resolve("go"));
        long startsBefore = starts();

        TaplineCli.Result next = runOnceTheLeaseIsFree(Duration.ofMinutes(2));
        assertThat(next.exit()).as(next.output()).isZero();
        List<String> lines = Files.readAllLines(dir.resolve("starts"));
        double nextStarted = Double.parseDouble(lines.get(lines.size() - 1).split(" ")[1]);
        assertThat(lines).hasSize((int) startsBefore + 1);
        assertThat(nextStarted).as("the next run waited for the dead holder's lease to expire").isGreaterThanOrEqualTo(expiresAt);
        assertThat(nextStarted - expiresAt).as("... and no longer than a JVM start after it").isLessThan(60);
        assertThat(storedState().path("bookmarks").path("items").path("last_id").asInt()).isEqualTo(9);
        assertThat(ids()).isEqualTo(range(1, 9));
    }

    @Test
    void aStateSavedWhileTheLeaseIsAnotherRunsIsRefused() throws Exception {
        project(uri(), 4, 2);
        gate();
        Path log = dir.resolve("paused.log");
        Process paused = TaplineCli.start(dir, log, "run", "tap-gated", "target-duckdb");
        awaitGate();
        // another host took the lease over (as after this holder was paused past its TTL)
        server.psql(database, "UPDATE state_tapline_lease SET owner = 'another-host-run', "
                + "expires_at = now() + interval '1 hour' WHERE state_id = '" + STATE_ID + "'");
        server.psql(database, "INSERT INTO state (state_id, partial_state, completed_state) VALUES ('" + STATE_ID
                + "', '{}', '{\"singer_state\": {\"newer\": true}}') ON CONFLICT (state_id) DO UPDATE SET "
                + "completed_state = EXCLUDED.completed_state");
        openGate();
        TaplineCli.Result r = TaplineCli.await(paused, log, Duration.ofMinutes(3));
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("lease");
        assertThat(storedState()).isEqualTo(JSON.readTree("{\"newer\": true}"));
    }
}
