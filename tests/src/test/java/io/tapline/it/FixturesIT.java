package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.Pipeline;
import io.tapline.PipelineOptions;
import io.tapline.Tap;
import io.tapline.it.support.TestEnv;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.spi.TaplineException;
import io.tapline.TargetFactory;
import io.tapline.spi.RecordHandling;
import io.tapline.spi.StreamSchema;
import io.tapline.internal.runner.process.VirtualEnvs;
import io.tapline.internal.runner.project.Loaders;
import io.tapline.spi.RunListener;
import io.tapline.spi.Target;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.TableNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Singer fixture under {@code testdata/fixtures} (other projects' target test inputs, see testdata/PROVENANCE.md) through
 * the real pipeline into DuckDB, each held to what its source project's own test asserts, translated to DuckDB. The
 * expectations are data ({@code fixture-expectations.json}), keyed by fixture path:
 *
 * <ul>
 *   <li>{@code why}: the source test and what it asserts;
 *   <li>{@code outcome}: {@code load} or {@code fail}; {@code error}: the tapline error code a failure must carry;
 *   <li>{@code before}: fixtures the source test loads first into the same database (and state);
 *   <li>{@code target}: target settings the source test uses, as {@code tapline target duckdb --config} takes them
 *       ({@code hard_delete}, {@code process_activate_version_messages}, ...);
 *   <li>{@code rows}: row count per stream; {@code checks}: SQL and its exact result rows, {@code {{stream}}} naming a
 *       stream's table and {@code {{table:stream}}} its bare name (JSON objects and arrays compare as JSON);
 *   <li>{@code state}: the committed state; by default the last STATE of the inputs (none if they have none);
 *   <li>{@code stateCommits}, {@code flushes}: how many state commits and target flushes the last run makes;
 *   <li>{@code unsupported}: the tapline feature the expectation needs; such fixtures still run and are reported
 *       (skipped), but do not fail the build.
 * </ul>
 *
 * Whatever the outcome, the states tapline commits must be input STATEs, in input order, none after a failing line.
 * The results table goes to {@code target/fixture-results.md}.
 */
class FixturesIT {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final Path FIXTURES = TestEnv.fixturesRoot();
    private static final Path RESULTS = Path.of("target", "fixture-results.md");
    private static final Pattern TABLE_REF = Pattern.compile("\\{\\{(table:)?([^}]+)}}");
    private static final String STATE_ID = "fixture";
    private static final Map<String, Result> RESULTS_BY_FILE = new TreeMap<>();
    private static final Map<String, Result> PARQUET_RESULTS = new TreeMap<>();

    @TempDir static Path work;

    enum Verdict { PASS, FAIL, UNSUPPORTED }

    record Result(String file, String expectation, Verdict verdict, String detail) {}

    @TestFactory
    Stream<DynamicTest> everyFixtureMeetsItsSourceProjectsExpectation() {
        JsonNode expectations = expectations().get("fixtures");
        AtomicInteger n = new AtomicInteger();
        return fixtureFiles().stream()
                .filter(file -> expectations.has(file))
                .map(file -> DynamicTest.dynamicTest(file, () -> {
                    Result result = run(file, expectations.get(file), work.resolve("f" + n.incrementAndGet()));
                    RESULTS_BY_FILE.put(file, result);
                    switch (result.verdict()) {
                        case PASS -> { }
                        case UNSUPPORTED -> Assumptions.abort("unsupported: " + result.detail());
                        case FAIL -> throw new AssertionError(file + ": " + result.detail());
                    }
                }));
    }

    @Test
    void everyFixtureHasAnExpectationAndEveryExpectationAFixture() {
        JsonNode expectations = expectations().get("fixtures");
        List<String> keys = expectations.properties().stream().map(Map.Entry::getKey).toList();
        assertThat(keys).containsExactlyInAnyOrderElementsOf(fixtureFiles());
        expectations.properties().forEach(e -> assertThat(e.getValue().path("why").asText())
                .as("why of %s", e.getKey()).isNotBlank());
    }

    @AfterAll
    static void writeResultsTable() throws IOException {
        if (RESULTS_BY_FILE.isEmpty() && PARQUET_RESULTS.isEmpty()) {
            return;
        }
        Map<Verdict, Long> counts = RESULTS_BY_FILE.values().stream()
                .collect(Collectors.groupingBy(Result::verdict, () -> new java.util.EnumMap<>(Verdict.class),
                        Collectors.counting()));
        StringBuilder md = new StringBuilder("# Fixture results\n\n")
                .append("Every Singer fixture under testdata/fixtures through tapline into DuckDB, against what its source ")
                .append("project's test asserts (tests/src/test/resources/fixture-expectations.json).\n\n");
        for (Verdict v : Verdict.values()) {
            md.append("- ").append(v.name().toLowerCase(java.util.Locale.ROOT)).append(": ")
                    .append(counts.getOrDefault(v, 0L)).append('\n');
        }
        md.append("\n| file | expectation | result | detail |\n|---|---|---|---|\n");
        for (Result r : RESULTS_BY_FILE.values()) {
            md.append("| `").append(r.file()).append("` | ").append(cell(r.expectation())).append(" | ")
                    .append(r.verdict().name().toLowerCase(java.util.Locale.ROOT)).append(" | ").append(cell(r.detail()))
                    .append(" |\n");
        }
        if (!PARQUET_RESULTS.isEmpty()) {
            long pass = PARQUET_RESULTS.values().stream().filter(r -> r.verdict() == Verdict.PASS).count();
            md.append("\n## Through the Parquet target, read back by pyarrow\n\n- pass: ").append(pass)
                    .append(" of ").append(PARQUET_RESULTS.size()).append(" applicable\n\n")
                    .append("| file | expectation | result | detail |\n|---|---|---|---|\n");
            for (Result r : PARQUET_RESULTS.values()) {
                md.append("| `").append(r.file()).append("` | ").append(cell(r.expectation())).append(" | ")
                        .append(r.verdict().name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                        .append(cell(r.detail())).append(" |\n");
            }
            System.out.printf("Parquet: %d pass of %d applicable fixtures%n", pass, PARQUET_RESULTS.size());
        }
        Files.createDirectories(RESULTS.toAbsolutePath().getParent());
        Files.writeString(RESULTS, md.toString(), StandardCharsets.UTF_8);
        System.out.printf("Fixtures: %d pass, %d fail, %d unsupported (of %d); table in %s%n",
                counts.getOrDefault(Verdict.PASS, 0L), counts.getOrDefault(Verdict.FAIL, 0L),
                counts.getOrDefault(Verdict.UNSUPPORTED, 0L), RESULTS_BY_FILE.size(), RESULTS.toAbsolutePath());
    }

    // ------------------------------------------------------------------------------------------ Parquet

    /**
     * The fixtures that apply to an append-only file target: expected to load, no earlier loads or delete settings,
     * and for every counted stream as many RECORDs in the input as rows the source test expects (no upsert or delete
     * involved). Each goes through the Parquet target (zstd, partitioned by load date) and is read back by real
     * pyarrow from PyPI: its row counts must be the source test's; the value checks run on the same files with DuckDB.
     */
    @TestFactory
    Stream<DynamicTest> applicableFixturesLoadIntoParquetAndPyarrowReadsTheSourceTestsRowCounts() {
        JsonNode expectations = expectations().get("fixtures");
        Path python = pyarrow();
        AtomicInteger n = new AtomicInteger();
        return fixtureFiles().stream()
                .filter(file -> expectations.has(file) && parquetApplies(file, expectations.get(file)))
                .map(file -> DynamicTest.dynamicTest("parquet: " + file, () -> {
                    Result result = runParquet(file, expectations.get(file), work.resolve("p" + n.incrementAndGet()),
                            python);
                    PARQUET_RESULTS.put(file, result);
                    if (result.verdict() == Verdict.FAIL) {
                        throw new AssertionError(file + ": " + result.detail());
                    }
                }));
    }

    private static boolean parquetApplies(String file, JsonNode e) {
        if (!"load".equals(e.path("outcome").asText("load")) || !e.has("rows") || e.has("before")
                || e.has("unsupported") || e.path("target").path("hard_delete").asBoolean(false)) {
            return false;
        }
        Map<String, Long> records = recordCounts(FIXTURES.resolve(file));
        for (Map.Entry<String, JsonNode> r : e.get("rows").properties()) {
            if (records.getOrDefault(r.getKey(), 0L) != r.getValue().asLong()) {
                return false;
            }
        }
        return true;
    }

    private static Result runParquet(String file, JsonNode expected, Path dir, Path python) throws Exception {
        Files.createDirectories(dir);
        Path out = dir.resolve("parquet");
        ObjectNode settings = JSON.createObjectNode().put("destination_path", out.toString())
                .put("partition_by_load_date", true);
        FileStateStore states = FileStateStore.at(dir.resolve("state"));
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("fixture-tap").command(TestTaps.cat(dir, FIXTURES.resolve(file), 0)).build())
                .target(Loaders.forLoader("parquet", settings, dir))
                .stateStore(states).stateId(STATE_ID)
                .options(PipelineOptions.defaults().withIdleTimeout(Duration.ofMinutes(2)))
                .build();
        List<String> problems = new ArrayList<>();
        try {
            pipeline.run();
        } catch (TaplineException e) {
            problems.add("expected a load, failed: " + describe(e));
        }
        List<InputState> input = inputStates(FIXTURES.resolve(file));
        Optional<JsonNode> want = input.isEmpty() ? Optional.empty() : Optional.of(input.get(input.size() - 1).value());
        Optional<JsonNode> got = states.read(STATE_ID).map(s -> parse(s.json()));
        if (!sameJson(want.orElse(null), got.orElse(null))) {
            problems.add("committed state " + got.map(JsonNode::toString).orElse("(none)"));
        }
        // pyarrow: the hive-partitioned dataset folder of each stream, row counts
        ObjectNode folders = JSON.createObjectNode();
        expected.get("rows").properties().forEach(r -> folders.put(r.getKey(),
                out.resolve(TableNames.forStream(StreamName.of(r.getKey()))).toString()));
        Path script = dir.resolve("count.py");
        Files.writeString(script, """
                import json, os, sys
                import pyarrow.dataset as ds
                folders = json.loads(sys.argv[1])
                out = {}
                for stream, folder in folders.items():
                    out[stream] = ds.dataset(folder, format="parquet", partitioning="hive").count_rows() \
                        if os.path.isdir(folder) else 0
                print(json.dumps(out))
                """);
        Process p = new ProcessBuilder(python.toString(), script.toString(), folders.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String counts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            problems.add("pyarrow could not read the dataset");
        } else {
            JsonNode c = parse(counts);
            expected.get("rows").properties().forEach(r -> {
                if (c.path(r.getKey()).asLong(-1) != r.getValue().asLong()) {
                    problems.add("pyarrow reads " + c.path(r.getKey()) + " rows of " + r.getKey() + ", expected "
                            + r.getValue());
                }
            });
        }
        checkParquetValues(expected, out, problems);
        String expectation = "rows " + expected.get("rows") + " read by pyarrow" + (expected.has("checks")
                ? "; " + expected.get("checks").size() + " value check(s) via DuckDB read_parquet" : "");
        return problems.isEmpty() ? new Result(file, expectation, Verdict.PASS, "")
                : new Result(file, expectation, Verdict.FAIL, String.join("; ", problems));
    }

    /** The DuckDB value checks, with each stream's table replaced by its Parquet files (schema queries skipped). */
    private static void checkParquetValues(JsonNode expected, Path out, List<String> problems) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement st = c.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
            }
            for (JsonNode check : expected.path("checks")) {
                String sql = check.get("sql").asText();
                if (sql.contains("information_schema") || sql.contains("{{table:")) {
                    continue;
                }
                Matcher m = TABLE_REF.matcher(sql);
                StringBuilder resolved = new StringBuilder();
                while (m.find()) {
                    Path folder = out.resolve(TableNames.forStream(StreamName.of(m.group(2))));
                    m.appendReplacement(resolved, Matcher.quoteReplacement("read_parquet('" + folder
                            + "/**/*.parquet', union_by_name = true, hive_partitioning = true)"));
                }
                check(c, m.appendTail(resolved).toString(), check.get("expect"), problems, sql);
            }
        } catch (SQLException e) {
            problems.add("DuckDB: " + e.getMessage());
        }
    }

    /** pyarrow from PyPI, in a venv under the shared venv cache (installed on first use). */
    private static Path pyarrow() {
        Path venv = new VirtualEnvs(TestEnv.venvCache()).install("pyarrow-reader", "pyarrow", "python3", false);
        return venv.resolve("bin/python");
    }

    private static Map<String, Long> recordCounts(Path fixture) {
        Map<String, Long> counts = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(fixture, StandardCharsets.UTF_8)) {
                if (!line.contains("RECORD")) {
                    continue;
                }
                try {
                    JsonNode m = JSON.readTree(line);
                    if (m != null && "RECORD".equals(m.path("type").asText())) {
                        counts.merge(m.path("stream").asText(), 1L, Long::sum);
                    }
                } catch (IOException notJson) {
                    // broken fixtures do not apply
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    // ------------------------------------------------------------------------------------------ one fixture

    private static Result run(String file, JsonNode expected, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path db = dir.resolve("warehouse.duckdb");
        FileStateStore states = FileStateStore.at(dir.resolve("state"));
        // the source test's target settings, read as `tapline target duckdb --config` reads them
        ObjectNode settings = JSON.createObjectNode();
        expected.path("target").properties().forEach(e -> settings.set(e.getKey(), e.getValue()));
        settings.put("filepath", db.toString());
        TargetFactory config = Loaders.forLoader("duckdb", settings, dir);
        List<String> inputs = new ArrayList<>();
        expected.path("before").forEach(b -> inputs.add(b.asText()));
        inputs.add(file);

        List<String> problems = new ArrayList<>();
        List<InputState> allStates = new ArrayList<>();
        Observed last = null;
        for (int i = 0; i < inputs.size(); i++) {
            Path fixture = FIXTURES.resolve(inputs.get(i));
            allStates.addAll(inputStates(fixture));
            last = runOnce(fixture, config, states, dir.resolve("run" + i));
            if (i < inputs.size() - 1 && last.failure().isPresent()) {
                problems.add("earlier load of " + inputs.get(i) + " failed: " + describe(last.failure().get()));
                break;
            }
        }
        if (problems.isEmpty()) {
            judge(file, expected, last, allStates, db, states, problems);
        }
        String expectation = summary(expected);
        if (expected.has("unsupported")) {
            return new Result(file, expectation, Verdict.UNSUPPORTED, "needs " + expected.get("unsupported").asText()
                    + "; " + (problems.isEmpty() ? "expectation met anyway" : "got: " + String.join("; ", problems)));
        }
        return problems.isEmpty()
                ? new Result(file, expectation, Verdict.PASS, last.failure().map(f -> "failed as expected: "
                        + describe(f)).orElse(""))
                : new Result(file, expectation, Verdict.FAIL, String.join("; ", problems));
    }

    /** What one run did: its failure if any, the states it committed, the flushes it made. */
    record Observed(Optional<TaplineException> failure, List<String> committedStates, int flushes) {}

    private static Observed runOnce(Path fixture, TargetFactory config, FileStateStore states, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        List<String> committed = new ArrayList<>();
        AtomicInteger flushes = new AtomicInteger();
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("fixture-tap").command(TestTaps.cat(dir, fixture, 0)).build())
                .target(allocator -> new CountingTarget(config.create(allocator), flushes))
                .stateStore(states)
                .stateId(STATE_ID)
                .options(PipelineOptions.defaults().withIdleTimeout(Duration.ofMinutes(2)))
                .listener(new RunListener() {
                    @Override
                    public void stateCommitted(StateBlob state, long rowsCommitted) {
                        committed.add(state.json());
                    }
                })
                .build();
        try {
            pipeline.run();
            return new Observed(Optional.empty(), committed, flushes.get());
        } catch (TaplineException e) {
            return new Observed(Optional.of(e), committed, flushes.get());
        }
    }

    private static void judge(String file, JsonNode expected, Observed run, List<InputState> allStates, Path db,
            FileStateStore states, List<String> problems) {
        boolean shouldFail = "fail".equals(expected.path("outcome").asText("load"));
        if (shouldFail && run.failure().isEmpty()) {
            problems.add("expected the run to fail, it loaded");
        } else if (!shouldFail && run.failure().isPresent()) {
            problems.add("expected a load, failed: " + describe(run.failure().get()));
        } else if (shouldFail && expected.has("error")
                && !run.failure().get().errorCode().name().equals(expected.get("error").asText())) {
            problems.add("expected error " + expected.get("error").asText() + ", got " + describe(run.failure().get()));
        }

        List<InputState> finalInput = inputStates(FIXTURES.resolve(file));
        OptionalLong failedLine = run.failure().filter(ProtocolException.class::isInstance)
                .map(e -> OptionalLong.of(((ProtocolException) e).lineNumber())).orElse(OptionalLong.empty());
        checkCommittedStatesFollowTheInput(run.committedStates(), finalInput, failedLine, problems);

        if (!shouldFail || expected.has("state")) {
            Optional<JsonNode> want = expected.has("state") ? Optional.of(expected.get("state"))
                    : allStates.isEmpty() ? Optional.empty() : Optional.of(allStates.get(allStates.size() - 1).value());
            Optional<JsonNode> got = states.read(STATE_ID).map(s -> parse(s.json()));
            if (!sameJson(want.orElse(null), got.orElse(null))) {
                problems.add("committed state " + got.map(JsonNode::toString).orElse("(none)") + ", expected "
                        + want.map(JsonNode::toString).orElse("(none)"));
            }
        }
        if (expected.has("stateCommits") && run.committedStates().size() != expected.get("stateCommits").asInt()) {
            problems.add(run.committedStates().size() + " state commits, expected " + expected.get("stateCommits"));
        }
        if (expected.has("flushes") && run.flushes() != expected.get("flushes").asInt()) {
            problems.add(run.flushes() + " flushes, expected " + expected.get("flushes"));
        }
        if (expected.has("rows") || expected.has("checks")) {
            checkDatabase(expected, db, problems);
        }
    }

    /** Committed states are input STATEs in input order (a subsequence), none from after a failing line. */
    private static void checkCommittedStatesFollowTheInput(List<String> committed, List<InputState> input,
            OptionalLong failedLine, List<String> problems) {
        int from = 0;
        for (String c : committed) {
            JsonNode state = parse(c);
            int at = -1;
            for (int i = from; i < input.size(); i++) {
                if (sameJson(input.get(i).value(), state)) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                problems.add("committed a state that is not a later input STATE: " + abbreviate(c));
                return;
            }
            if (failedLine.isPresent() && input.get(at).line() > failedLine.getAsLong()) {
                problems.add("committed the STATE of line " + input.get(at).line() + ", after the failing line "
                        + failedLine.getAsLong());
            }
            from = at + 1;
        }
    }

    private static void checkDatabase(JsonNode expected, Path db, List<String> problems) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath())) {
            try (Statement st = c.createStatement()) {
                st.execute("SET TimeZone = 'UTC'");
            }
            for (Map.Entry<String, JsonNode> e : expected.path("rows").properties()) {
                String sql = "SELECT count(*) FROM " + table(e.getKey());
                check(c, sql, JSON.createArrayNode().add(JSON.createArrayNode().add(e.getValue())), problems,
                        "rows of " + e.getKey());
            }
            for (JsonNode check : expected.path("checks")) {
                String sql = resolveTables(check.get("sql").asText());
                check(c, sql, check.get("expect"), problems, sql);
            }
        } catch (SQLException e) {
            problems.add("cannot open the database: " + e.getMessage());
        }
    }

    private static void check(Connection c, String sql, JsonNode expect, List<String> problems, String what) {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        } catch (SQLException e) {
            problems.add(what + ": " + firstLine(e.getMessage()));
            return;
        }
        boolean same = rows.size() == expect.size();
        for (int r = 0; same && r < rows.size(); r++) {
            JsonNode want = expect.get(r);
            same = want.size() == rows.get(r).size();
            for (int col = 0; same && col < want.size(); col++) {
                same = sameValue(want.get(col), rows.get(r).get(col));
            }
        }
        if (!same) {
            problems.add(what + ": got " + abbreviate(rows.toString()) + ", expected " + abbreviate(expect.toString()));
        }
    }

    // ------------------------------------------------------------------------------------------ values

    private static boolean sameValue(JsonNode want, Object got) {
        if (want.isNull() || got == null) {
            return want.isNull() && got == null;
        }
        if (want.isNumber()) {
            return got instanceof Number num && want.decimalValue().compareTo(new BigDecimal(num.toString())) == 0;
        }
        if (want.isBoolean()) {
            return got instanceof Boolean b && b == want.booleanValue();
        }
        if (want.isContainerNode()) {
            try {
                return sameJson(want, JSON.readTree(got.toString()));
            } catch (IOException e) {
                return false;
            }
        }
        return want.asText().equals(got.toString());
    }

    /** JSON equality with numbers compared by value (1 equals 1.0). */
    private static boolean sameJson(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        Comparator<JsonNode> numbersByValue = (x, y) -> x.isNumber() && y.isNumber()
                ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1;
        return a.equals(numbersByValue, b);
    }

    // ------------------------------------------------------------------------------------------ inputs

    record InputState(long line, JsonNode value) {}

    /** The STATE messages of a fixture with their 1-based line numbers; lines that are not JSON are skipped. */
    private static List<InputState> inputStates(Path fixture) {
        List<InputState> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(fixture, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).contains("STATE")) {
                    continue;
                }
                try {
                    JsonNode m = JSON.readTree(lines.get(i));
                    if (m != null && "STATE".equals(m.path("type").asText()) && m.has("value")) {
                        out.add(new InputState(i + 1, m.get("value")));
                    }
                } catch (IOException notJson) {
                    // deliberately broken fixtures (invalid-json.json)
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static List<String> fixtureFiles() {
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> FIXTURES.relativize(p).toString())
                    .filter(FixturesIT::isSingerInput)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Expected outputs ({@code *_out.txt}, {@code target.jsonl}), Airbyte material and the index are not inputs. */
    private static boolean isSingerInput(String relative) {
        String name = Path.of(relative).getFileName().toString();
        String top = Path.of(relative).getName(0).toString();
        return !top.startsWith("airbytehq__") && !top.equals("LICENSES") && !name.equals("PROVENANCE.md")
                && !name.equals("provenance.json") && !name.equals("target.jsonl") && !name.endsWith("_out.txt");
    }

    private static JsonNode expectations() {
        try (InputStream in = FixturesIT.class.getResourceAsStream("/fixture-expectations.json")) {
            if (in == null) {
                throw new IllegalStateException("fixture-expectations.json is not on the test classpath");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ text

    private static String table(String stream) {
        return "main.\"" + TableNames.forStream(StreamName.of(stream)).replace("\"", "\"\"") + "\"";
    }

    private static String resolveTables(String sql) {
        Matcher m = TABLE_REF.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = TableNames.forStream(StreamName.of(m.group(2)));
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) != null ? name : table(m.group(2))));
        }
        return m.appendTail(out).toString();
    }

    private static String summary(JsonNode e) {
        List<String> parts = new ArrayList<>();
        parts.add(e.path("outcome").asText("load") + (e.has("error") ? " (" + e.get("error").asText() + ")" : ""));
        if (e.has("before")) {
            parts.add("after " + e.get("before").size() + " earlier load(s)");
        }
        if (e.has("target")) {
            parts.add("target " + e.get("target"));
        }
        if (e.has("rows")) {
            List<String> rows = new ArrayList<>();
            e.get("rows").properties().forEach(r -> rows.add(r.getKey() + "=" + r.getValue()));
            parts.add("rows " + String.join(", ", rows));
        }
        if (e.has("checks")) {
            parts.add(e.get("checks").size() + " value check(s)");
        }
        parts.add(e.has("state") ? "state as given" : "state = last input STATE");
        if (e.has("stateCommits")) {
            parts.add(e.get("stateCommits") + " state commit(s)");
        }
        if (e.has("flushes")) {
            parts.add(e.get("flushes") + " flush(es)");
        }
        return String.join("; ", parts) + ". " + e.path("why").asText();
    }

    private static String describe(TaplineException e) {
        return e.errorCode().name() + " (" + firstLine(e.getMessage()) + ")";
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return abbreviate(nl < 0 ? s : s.substring(0, nl));
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    /** The real DuckDB target, counting flushes. */
    private static final class CountingTarget implements Target {
        private final Target delegate;
        private final AtomicInteger flushes;

        CountingTarget(Target delegate, AtomicInteger flushes) {
            this.delegate = delegate;
            this.flushes = flushes;
        }

        @Override
        public RecordHandling recordHandling() { return delegate.recordHandling(); }

        @Override
        public void open(StreamSchema schema) { delegate.open(schema); }

        @Override
        public void activateVersion(StreamSchema schema, long version) { delegate.activateVersion(schema, version); }

        @Override
        public void write(StreamSchema schema, VectorSchemaRoot batch) { delegate.write(schema, batch); }

        @Override
        public void flush() {
            flushes.incrementAndGet();
            delegate.flush();
        }

        @Override
        public void abort() { delegate.abort(); }

        @Override
        public void close() { delegate.close(); }
    }
}
