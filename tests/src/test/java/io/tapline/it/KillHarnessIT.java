package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.StateBlob;
import io.tapline.internal.state.file.FileStateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 at seeded random points, then a rerun to completion: the outputs must match a clean run.
 *
 * <p>tapline runs as its own JVM (the real CLI, {@code Main run}), the tap is a real Python process
 * ({@code taps/kill_tap.py}: a keyed stream whose later records update earlier keys, and an
 * append-only stream). A kill point is one of: the tap SIGKILLs itself before a chosen record; the
 * runner is SIGKILLed when its log shows the n-th flush starting (at once, or a few ms into the
 * flush), the n-th state save starting (at once or a few ms later, inside the write), the n-th
 * commit done, or after a random time. Log lines reach the harness through a pipe, so "at once"
 * lands shortly after the marker; the plan is reproducible from the seed, the exact instruction is not.
 *
 * <p>After each kill: the state file and the outputs must be readable, append-only records up to the
 * committed state exactly once. After the rerun: the keyed DuckDB table equals the clean run; in the
 * append-only stream nothing is missing and only records after the state committed before the kill
 * occur twice. Parquet is append-only for every stream (no upserts), so there the keyed stream is
 * checked like an append stream plus "latest row per key equals the clean run".
 *
 * <p>The external-target chain and the Airbyte path get the same treatment in
 * {@link #killMinusNineOfAnyProcessOfTheOtherPathsThenRerunEqualsACleanRun}.
 *
 * <p>{@code TAPLINE_KILL_POINTS} (default 5 per target) and {@code TAPLINE_KILL_SEED} widen or replay a run.
 */
@Timeout(900)
class KillHarnessIT {
    private static final int LAST_SEQ = 1200;
    /** The other paths run shorter: four kill points each stay within about a minute. */
    private static final int OTHER_LAST_SEQ = 600;
    private static final String STATE_ID = "dev:kill-tap-to-";
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    @TempDir Path dir;

    private enum Kind {
        TAP, BEFORE_FLUSH, DURING_FLUSH, BEFORE_STATE_WRITE, DURING_STATE_WRITE, AFTER_COMMIT, RANDOM_TIME,
        /** The external-target path: the mapper or the target SIGKILLs itself; tapline is killed after a save. */
        MAPPER, TARGET, AFTER_CHAIN_SAVE
    }

    private record KillPoint(Kind kind, int occurrence, long delayMicros) {
        String marker() {
            return switch (kind) {
                case BEFORE_FLUSH, DURING_FLUSH -> "Flushing the target";
                case BEFORE_STATE_WRITE, DURING_STATE_WRITE -> "Saving state for";
                case AFTER_COMMIT -> "Committed state for";
                case AFTER_CHAIN_SAVE -> "Saved state for";
                case TAP, RANDOM_TIME, MAPPER, TARGET -> "";
            };
        }
    }

    private record Outcome(int exitCode, boolean killed, Path log) {}

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"target-duckdb", "target-parquet"})
    void killMinusNineAtRandomPointsThenRerunLosesNothingAndDuplicatesOnlyAfterTheCommittedState(String loader)
            throws Exception {
        long seed = Long.parseLong(env("TAPLINE_KILL_SEED", "20261123")) + loader.hashCode();
        int points = Integer.parseInt(env("TAPLINE_KILL_POINTS", "5"));
        Random random = new Random(seed);

        Path clean = project("clean", loader);
        Outcome baseline = runTapline(clean, loader, Optional.empty(), Map.of());
        assertThat(baseline.exitCode()).as("clean run, log %s", baseline.log()).isZero();
        int commits = count(baseline.log(), "Committed state for");
        assertThat(commits).as("the clean run commits often enough to be killed between commits").isGreaterThan(5);
        Map<Long, String> cleanItems = latestItemPerKey(clean, loader);
        assertThat(events(clean, loader)).hasSize(LAST_SEQ).allSatisfy((seq, n) -> assertThat(n).isEqualTo(1));

        List<String> failures = new ArrayList<>();
        int killed = 0;
        for (int i = 0; i < points; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            KillPoint point = switch (kind) {
                case TAP -> new KillPoint(kind, 1 + random.nextInt(LAST_SEQ), 0);
                case RANDOM_TIME -> new KillPoint(kind, 0, 500_000 + random.nextInt(3_000_000));
                case DURING_FLUSH, DURING_STATE_WRITE -> new KillPoint(kind, 1 + random.nextInt(commits), 200 + random.nextInt(5_000));
                default -> new KillPoint(kind, 1 + random.nextInt(commits), 0);
            };
            Path project = project("point-" + i, loader);
            String label = "seed " + seed + " point " + i + " " + point;
            try {
                Outcome first = point.kind() == Kind.TAP
                        ? runTapline(project, loader, Optional.empty(), Map.of("KILL_TAP_KILL_AT_SEQ", String.valueOf(point.occurrence())))
                        : runTapline(project, loader, Optional.of(point), Map.of());
                boolean wasKilled = point.kind() == Kind.TAP ? first.exitCode() != 0 : first.killed();
                killed += wasKilled ? 1 : 0;
                long committed = committedSeq(project, loader); // what the rerun resumes after
                checkAfterKill(project, loader, committed);
                Outcome rerun = runTapline(project, loader, Optional.empty(), Map.of());
                assertThat(rerun.exitCode()).as("rerun exit code, log %s", rerun.log()).isZero();
                checkFinal(project, loader, committed, cleanItems);
                System.out.printf("kill harness %s: %s -> %s, committed seq %d before the rerun: ok%n", loader, point,
                        wasKilled ? "killed" : "finished before the kill point", committed);
            } catch (AssertionError | RuntimeException e) {
                failures.add(label + ": " + e.getMessage());
                System.out.printf("kill harness %s: %s FAILED: %s%n", loader, label, e.getMessage());
            }
        }
        System.out.printf("kill harness %s: seed %d, %d kill points tried (%d killed mid-run), %d failures%n",
                loader, seed, points, killed, failures.size());
        assertThat(failures).as("kill points that lost or duplicated data").isEmpty();
        assertThat(killed).as("kill points that actually killed something").isGreaterThan(0);
    }

    /**
     * The other two run paths, killed the same way: {@code chain} is tap -> mapper -> external Singer target
     * ({@code kill_mapper.py}, {@code kill_target.py}, which makes its data and state durable together before it
     * prints the state), with the tap, the mapper, the target or tapline SIGKILLed; {@code airbyte} is an Airbyte
     * source ({@code kill_source.py}) into DuckDB, with the source or tapline SIGKILLed. After each kill the stored
     * state is the last one the target confirmed (tapline itself may die between the target's confirmation and
     * its save: then it is an earlier one), and after a rerun the keyed rows equal a clean run.
     * {@code TAPLINE_KILL_POINTS_PER_PATH} (default 4: each kind of kill once, tapline's last) widens it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chain", "airbyte"})
    void killMinusNineOfAnyProcessOfTheOtherPathsThenRerunEqualsACleanRun(String path) throws Exception {
        long seed = Long.parseLong(env("TAPLINE_KILL_SEED", "20261123")) + path.hashCode();
        int points = Integer.parseInt(env("TAPLINE_KILL_POINTS_PER_PATH", "4"));
        Random random = new Random(seed);
        boolean chain = path.equals("chain");
        List<String> plugins = chain ? List.of("kill-tap", "pass", "kill-target") : List.of("kill-source", "target-duckdb");
        String stateId = chain ? "dev:kill-tap-to-kill-target" : "dev:kill-source-to-target-duckdb";
        List<Kind> kinds = chain ? List.of(Kind.TAP, Kind.MAPPER, Kind.TARGET, Kind.AFTER_CHAIN_SAVE, Kind.RANDOM_TIME)
                : List.of(Kind.TAP, Kind.BEFORE_FLUSH, Kind.BEFORE_STATE_WRITE, Kind.AFTER_COMMIT, Kind.RANDOM_TIME);

        Path clean = otherPathProject("clean", chain, Optional.empty());
        Map<String, String> length = Map.of("KILL_TAP_LAST_SEQ", String.valueOf(OTHER_LAST_SEQ));
        Outcome baseline = runTapline(clean, plugins, Optional.empty(), length);
        assertThat(baseline.exitCode()).as("clean run, log %s", baseline.log()).isZero();
        int saves = count(baseline.log(), chain ? "Saved state for" : "Committed state for");
        assertThat(saves).as("the clean run commits often enough to be killed between commits").isGreaterThan(5);
        Map<Long, String> cleanItems = otherPathItems(clean, chain);
        assertThat(otherPathEvents(clean, chain)).hasSize(OTHER_LAST_SEQ).allSatisfy((seq, n) -> assertThat(n).isEqualTo(1));

        List<String> failures = new ArrayList<>();
        int killed = 0;
        for (int i = 0; i < points; i++) {
            Kind kind = kinds.get(i < kinds.size() ? i : random.nextInt(kinds.size())); // each kind once first
            KillPoint point = switch (kind) {
                case TAP, TARGET -> new KillPoint(kind, 1 + random.nextInt(OTHER_LAST_SEQ), 0);
                case MAPPER -> new KillPoint(kind, 3 + random.nextInt(2 * OTHER_LAST_SEQ), 0);
                case RANDOM_TIME -> new KillPoint(kind, 0, 500_000 + random.nextInt(3_000_000));
                default -> new KillPoint(kind, 1 + random.nextInt(saves), random.nextBoolean() ? 0 : 200 + random.nextInt(5_000));
            };
            String label = "seed " + seed + " point " + i + " " + point;
            try {
                Path project = otherPathProject("point-" + i, chain, Optional.of(point));
                boolean selfKill = Set.of(Kind.TAP, Kind.MAPPER, Kind.TARGET).contains(kind);
                Map<String, String> env = kind == Kind.TAP && chain ? Map.of("KILL_TAP_LAST_SEQ",
                        String.valueOf(OTHER_LAST_SEQ), "KILL_TAP_KILL_AT_SEQ", String.valueOf(point.occurrence())) : length;
                Outcome first = runTapline(project, plugins, selfKill ? Optional.empty() : Optional.of(point), env);
                boolean wasKilled = selfKill ? first.exitCode() != 0 : first.killed();
                killed += wasKilled ? 1 : 0;
                long committed = seqOf(FileStateStore.at(project.resolve(".tapline/state")).read(stateId));
                Map<Long, Long> events = otherPathEvents(project, chain);
                for (long seq = 1; seq <= committed; seq++) {
                    assertThat(events.get(seq)).as("event %d (stored state seq %d) after the kill, log %s", seq,
                            committed, first.log()).isEqualTo(1L);
                }
                assertThat(events.values()).as("no event twice after one run").allSatisfy(n -> assertThat(n).isEqualTo(1L));
                if (chain) {
                    long confirmed = targetConfirmedSeq(project);
                    if (selfKill) {
                        assertThat(committed).as("stored state = the target's last confirmed, log %s", first.log())
                                .isEqualTo(confirmed);
                    } else {
                        assertThat(committed).as("stored state after a tapline kill").isLessThanOrEqualTo(confirmed);
                    }
                }
                otherPathProject("point-" + i, chain, Optional.empty()); // the rerun kills nothing
                Outcome rerun = runTapline(project, plugins, Optional.empty(), length);
                assertThat(rerun.exitCode()).as("rerun exit code, log %s", rerun.log()).isZero();
                Map<Long, Long> after = otherPathEvents(project, chain);
                for (long seq = 1; seq <= OTHER_LAST_SEQ; seq++) {
                    long n = after.getOrDefault(seq, 0L);
                    assertThat(n).as("event %d after the rerun (stored seq %d)", seq, committed).isBetween(1L, 2L);
                    assertThat(n).as("event %d after the rerun (stored seq %d)", seq, committed)
                            .isEqualTo(seq <= committed ? 1 : n);
                }
                assertThat(otherPathItems(project, chain)).as("latest row per key").isEqualTo(cleanItems);
                long last = seqOf(FileStateStore.at(project.resolve(".tapline/state")).read(stateId));
                assertThat(last).as("stored state after the rerun").isEqualTo(OTHER_LAST_SEQ);
                if (chain) {
                    assertThat(targetConfirmedSeq(project)).as("the target's last confirmed state").isEqualTo(last);
                }
                System.out.printf("kill harness %s: %s -> %s, stored seq %d before the rerun: ok%n", path, point,
                        wasKilled ? "killed" : "finished before the kill point", committed);
            } catch (AssertionError | RuntimeException e) {
                failures.add(label + ": " + e.getMessage());
                System.out.printf("kill harness %s: %s FAILED: %s%n", path, label, e.getMessage());
            }
        }
        System.out.printf("kill harness %s: seed %d, %d kill points tried (%d killed mid-run), %d failures%n",
                path, seed, points, killed, failures.size());
        assertThat(failures).as("kill points that lost or duplicated data").isEmpty();
        assertThat(killed).as("kill points that actually killed something").isGreaterThan(0);
    }

    private Path otherPathProject(String name, boolean chain, Optional<KillPoint> point) throws IOException {
        Path project = Files.createDirectories(dir.resolve(name));
        int kill = point.map(KillPoint::occurrence).orElse(0);
        Kind kind = point.map(KillPoint::kind).orElse(Kind.RANDOM_TIME);
        if (chain) {
            Files.writeString(project.resolve("meltano.yml"), """
                    version: 1
                    default_environment: dev
                    plugins:
                      extractors:
                        - name: kill-tap
                          executable: %s
                          capabilities: [state]
                      mappers:
                        - name: kill-mapper
                          executable: %s
                          mappings:
                            - name: pass
                              config: {kill_at_line: %d}
                      loaders:
                        - name: kill-target
                          executable: %s
                          config: {store: %s, kill_at_seq: %d}
                    """.formatted(TestTaps.script(project, "kill_tap.py"), TestTaps.script(project, "kill_mapper.py"),
                    kind == Kind.MAPPER ? kill : 0, TestTaps.script(project, "kill_target.py"),
                    project.resolve("store.json"), kind == Kind.TARGET ? kill : 0));
        } else {
            Files.writeString(project.resolve("meltano.yml"), """
                    version: 1
                    default_environment: dev
                    plugins:
                      extractors:
                        - name: kill-source
                          protocol: airbyte
                          executable: %s
                          config: {last_seq: %d, kill_at_seq: %d}
                      loaders:
                        - name: target-duckdb
                          variant: tapline
                          config: {filepath: warehouse.duckdb, default_target_schema: raw}
                    """.formatted(TestTaps.script(project, "kill_source.py"), OTHER_LAST_SEQ, kind == Kind.TAP ? kill : 0));
        }
        return project;
    }

    private Map<Long, Long> otherPathEvents(Path project, boolean chain) throws IOException {
        if (!chain) {
            return events(project, "target-duckdb");
        }
        Map<Long, Long> out = new TreeMap<>();
        targetStore(project).path("events").properties()
                .forEach(e -> out.put(Long.parseLong(e.getKey()), e.getValue().asLong()));
        return out;
    }

    private Map<Long, String> otherPathItems(Path project, boolean chain) throws IOException {
        if (!chain) {
            return latestItemPerKey(project, "target-duckdb");
        }
        Map<Long, String> out = new TreeMap<>();
        targetStore(project).path("items").properties()
                .forEach(e -> out.put(Long.parseLong(e.getKey()), e.getValue().asText()));
        return out;
    }

    /** The seq of the state kill_target.py last made durable (and then printed). */
    private long targetConfirmedSeq(Path project) throws IOException {
        JsonNode state = targetStore(project).path("state");
        return state.isMissingNode() || state.isNull() ? 0 : seqOf(Optional.of(new StateBlob(state.toString())));
    }

    private static JsonNode targetStore(Path project) throws IOException {
        Path file = project.resolve("store.json");
        return Files.exists(file) ? new ObjectMapper().readTree(file.toFile()) : new ObjectMapper().createObjectNode();
    }

    private static long seqOf(Optional<StateBlob> state) {
        if (state.isEmpty()) {
            return 0;
        }
        Matcher m = SEQ.matcher(state.get().json());
        assertThat(m.find()).as("state %s", state.get().json()).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** Right after the kill: readable state and outputs; records up to the committed state are there exactly once. */
    private void checkAfterKill(Path project, String loader, long committed) {
        Map<Long, Long> events = events(project, loader);
        for (long seq = 1; seq <= committed; seq++) {
            assertThat(events.get(seq)).as("event %d (committed state seq %d) after the kill", seq, committed).isEqualTo(1L);
        }
        assertThat(events.values()).as("no event twice after one run").allSatisfy(n -> assertThat(n).isEqualTo(1L));
    }

    private void checkFinal(Path project, String loader, long committed, Map<Long, String> cleanItems) {
        Map<Long, Long> events = events(project, loader);
        for (long seq = 1; seq <= LAST_SEQ; seq++) {
            long n = events.getOrDefault(seq, 0L);
            assertThat(n).as("event %d after the rerun (committed seq %d)", seq, committed).isPositive();
            assertThat(n).as("event %d after the rerun (committed seq %d)", seq, committed).isEqualTo(seq <= committed ? 1 : n);
            assertThat(n).as("event %d after the rerun", seq).isLessThanOrEqualTo(2);
        }
        assertThat(latestItemPerKey(project, loader)).as("latest row per key").isEqualTo(cleanItems);
        if (loader.equals("target-duckdb")) {
            assertThat(Duck.count(project.resolve("warehouse.duckdb"), "raw.items"))
                    .as("keyed table rows").isEqualTo(cleanItems.size());
        } else {
            Map<Long, Long> itemSeqs = countBySeq(project, loader, "items");
            for (long seq = 1; seq <= LAST_SEQ; seq++) {
                long n = itemSeqs.getOrDefault(seq, 0L);
                assertThat(n).as("item seq %d in Parquet (committed seq %d)", seq, committed).isPositive();
                assertThat(n).as("item seq %d in Parquet (committed seq %d)", seq, committed).isEqualTo(seq <= committed ? 1 : n);
            }
        }
    }

    private Map<Long, Long> events(Path project, String loader) {
        return countBySeq(project, loader, "events");
    }

    private Map<Long, Long> countBySeq(Path project, String loader, String stream) {
        Map<Long, Long> out = new TreeMap<>();
        for (Map<String, Object> row : query(project, loader, stream, "SELECT seq, count(*) AS n FROM %s GROUP BY seq")) {
            out.put(((Number) row.get("seq")).longValue(), ((Number) row.get("n")).longValue());
        }
        return out;
    }

    private Map<Long, String> latestItemPerKey(Path project, String loader) {
        Map<Long, String> out = new TreeMap<>();
        for (Map<String, Object> row : query(project, loader, "items",
                "SELECT id, arg_max(seq || ':' || name, seq) AS v FROM %s GROUP BY id")) {
            out.put(((Number) row.get("id")).longValue(), (String) row.get("v"));
        }
        return out;
    }

    private List<Map<String, Object>> query(Path project, String loader, String stream, String sql) {
        if (loader.equals("target-duckdb")) {
            Path db = project.resolve("warehouse.duckdb");
            return Files.exists(db) && hasTable(db, stream) ? Duck.query(db, sql.formatted("raw." + stream)) : List.of();
        }
        Path folder = project.resolve("out").resolve(stream);
        if (!Files.isDirectory(folder) || listParquet(folder).isEmpty()) {
            return List.of();
        }
        // every published part must be a complete Parquet file: read_parquet fails on a torn one
        return inMemory(sql.formatted("read_parquet('" + folder + "/*.parquet', union_by_name = true)"));
    }

    private static List<Map<String, Object>> inMemory(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    private static boolean hasTable(Path db, String table) {
        return !Duck.query(db, "SELECT 1 FROM information_schema.tables WHERE table_schema = 'raw' AND table_name = '"
                + table + "'").isEmpty();
    }

    private static List<Path> listParquet(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long committedSeq(Path project, String loader) {
        Optional<StateBlob> state = FileStateStore.at(project.resolve(".tapline/state")).read(STATE_ID + loader);
        if (state.isEmpty()) {
            return 0;
        }
        Matcher m = SEQ.matcher(state.get().json());
        assertThat(m.find()).as("state %s", state.get().json()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private Path project(String name, String loader) throws IOException {
        Path project = Files.createDirectories(dir.resolve(name));
        Path tap = TestTaps.script(project, "kill_tap.py");
        String loaderConfig = loader.equals("target-duckdb")
                ? "filepath: warehouse.duckdb, default_target_schema: raw"
                : "destination_path: out";
        Files.writeString(project.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: kill-tap
                      executable: %s
                      capabilities: [state]
                  loaders:
                    - name: %s
                      variant: tapline
                      config: {%s}
                """.formatted(tap, loader, loaderConfig));
        return project;
    }

    /** Runs {@code tapline run} as its own JVM; with a kill point, SIGKILLs it there. */
    private Outcome runTapline(Path project, String loader, Optional<KillPoint> point, Map<String, String> tapEnv)
            throws IOException, InterruptedException {
        return runTapline(project, List.of("kill-tap", loader), point, tapEnv);
    }

    private Outcome runTapline(Path project, List<String> plugins, Optional<KillPoint> point, Map<String, String> tapEnv)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Dlogback.configurationFile=" + logbackConfig(),
                "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", project.toString(), "run"));
        argv.addAll(plugins);
        argv.addAll(List.of("--batch-rows", "40", "--commit-rows", "100", "--commit-interval", "PT1H"));
        Path logFile = Files.createTempFile(project, "tapline-", ".log");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        Map<String, String> env = new HashMap<>(pb.environment());
        env.put("KILL_TAP_LAST_SEQ", String.valueOf(LAST_SEQ));
        env.putAll(tapEnv);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process process = pb.start();
        AtomicBoolean killed = new AtomicBoolean();
        Thread reader = new Thread(() -> pump(process, logFile, point, killed), "kill-harness-log");
        reader.setDaemon(true);
        reader.start();
        if (point.isPresent() && point.get().kind() == Kind.RANDOM_TIME) {
            if (!process.waitFor(point.get().delayMicros(), TimeUnit.MICROSECONDS)) {
                killed.set(true);
                process.destroyForcibly();
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tapline did not finish within 120 s; log " + logFile);
        }
        reader.join(Duration.ofSeconds(30).toMillis());
        return new Outcome(process.exitValue(), killed.get(), logFile);
    }

    /** Copies tapline's output to its log file; at the kill point's marker, waits its delay and SIGKILLs. */
    private static void pump(Process process, Path logFile, Optional<KillPoint> point, AtomicBoolean killed) {
        String marker = point.map(KillPoint::marker).orElse("");
        int seen = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(logFile)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.write('\n');
                if (!marker.isEmpty() && !killed.get() && line.contains(marker) && ++seen == point.get().occurrence()) {
                    if (point.get().delayMicros() > 0) {
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(point.get().delayMicros()));
                    }
                    process.destroyForcibly(); // SIGKILL
                    killed.set(true);
                    out.write("### harness: SIGKILL sent\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path logbackConfig() throws IOException {
        Path file = dir.resolve("harness-logback.xml");
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <target>System.err</target>
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n</pattern></encoder>
                      </appender>
                      <logger name="io.tapline.internal.runner.pipeline.TargetSession" level="DEBUG"/>
                      <logger name="io.tapline.internal.runner.pipeline.ChainSink" level="DEBUG"/>
                      <logger name="org.apache.arrow" level="WARN"/>
                      <root level="INFO"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
        }
        return file;
    }

    private static int count(Path log, String marker) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return (int) lines.filter(l -> l.contains(marker)).count();
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
