package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.Pipeline;
import io.tapline.Project;
import io.tapline.RunOptions;
import io.tapline.RunResult;
import io.tapline.Tap;
import io.tapline.it.support.Duck;
import io.tapline.it.support.PostgresServer;
import io.tapline.it.support.TestEnv;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import io.tapline.internal.targets.duckdb.DuckDbTargetConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code meltanolabs-tap-postgres} from PyPI (installed by tapline into a cached venv) against a
 * real PostgreSQL, loaded into DuckDB, with state in a {@link FileStateStore}: record-level incremental
 * replication on {@code updated_at}, resumed from the stored state.
 *
 * <p>The replication key comes from {@code meltano.yml}'s {@code metadata} extra (the tap's
 * {@code default_replication_method: INCREMENTAL} alone does not choose one). The test takes the tap as
 * {@link Project#pipeline} builds it (installed, discovered, {@code select}ed, metadata applied) and runs it
 * through the Java API with its own warehouse and state store.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES) // a cold venv install is part of the first test
class PostgresIncrementalIT {
    private static final String PIP_URL = "meltanolabs-tap-postgres==0.10.0";
    private static final String STREAM = "public-orders";
    private static final String TABLE = "public_orders"; // stream id lower-cased, non-alphanumerics as '_'
    private static final int FIRST_ROWS = 25;
    private static final int NEW_ROWS = 6;
    private static final Instant BASE = Instant.parse("2024-03-01T08:00:00Z");
    /** How tap-postgres renders a timestamptz (in UTC) in records and bookmarks. */
    private static final DateTimeFormatter TAP_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'").withZone(ZoneOffset.UTC);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresServer pg;

    @TempDir Path dir;
    private String database;
    private Path warehouse;
    private FileStateStore stateStore;

    /** One row of {@code public.orders}, as inserted. */
    record Order(int id, String customer, BigDecimal amount, Instant updatedAt) {
        String values() {
            // every other row is written with a +02:00 offset: the tap must still bookmark it in UTC
            ZoneOffset offset = id % 2 == 0 ? ZoneOffset.ofHours(2) : ZoneOffset.UTC;
            return "(" + id + ", '" + customer.replace("'", "''") + "', " + amount.toPlainString() + ", '"
                    + OffsetDateTime.ofInstant(updatedAt, offset) + "')";
        }
    }

    @BeforeAll
    static void startPostgres() {
        pg = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void createDatabase() {
        database = "orders_" + DATABASES.incrementAndGet();
        pg.createDatabase(database);
        pg.psql(database, "CREATE TABLE public.orders (id int PRIMARY KEY, customer text, amount numeric(10,2), "
                + "updated_at timestamptz NOT NULL)");
        warehouse = dir.resolve("warehouse.duckdb");
        stateStore = FileStateStore.at(dir.resolve("state"));
    }

    @Test
    void secondRunLoadsOnlyRowsAddedSinceTheStoredState() {
        Map<Integer, Order> orders = new TreeMap<>();
        for (int id = 1; id <= FIRST_ROWS; id++) {
            // updated_at is not in id order, and carries microseconds
            Instant at = BASE.plus(Duration.ofMinutes(37L * ((id * 7) % FIRST_ROWS))).plusNanos(id * 1_001_000L);
            orders.put(id, new Order(id, id % 5 == 0 ? "Zoë O'Brien #" + id : "customer-" + id,
                    new BigDecimal(id * 173 % 10_000 + ".0" + id % 10), at));
        }
        insert(orders.values());
        Pipeline pipeline = incrementalPipeline(projectTap(pg.password()));

        RunResult first = pipeline.run();

        Instant firstBookmark = maxUpdatedAt(orders);
        assertThat(first.rowsWritten()).isEqualTo(FIRST_ROWS);
        assertThat(first.rowsPerStream()).containsExactly(Map.entry(StreamName.of(STREAM), (long) FIRST_ROWS));
        assertLoaded(orders);
        JsonNode firstState = storedState();
        assertThat(firstState).isEqualTo(bookmarkState(firstBookmark));
        assertThat(first.finalState().map(PostgresIncrementalIT::tree)).contains(firstState);

        // new rows after the bookmark, one at the bookmark, and an old row updated past it
        Instant latest = firstBookmark;
        List<Order> added = new ArrayList<>();
        for (int i = 1; i <= NEW_ROWS; i++) {
            int id = FIRST_ROWS + i;
            Instant at = i == 1 ? firstBookmark : firstBookmark.plus(Duration.ofMinutes(11L * i)).plusNanos(i * 1000L);
            added.add(new Order(id, "late-customer-" + id, new BigDecimal(i + "99.95"), at));
            latest = at.isAfter(latest) ? at : latest;
        }
        insert(added);
        added.forEach(o -> orders.put(o.id(), o));
        Order old = orders.get(3);
        Order updated = new Order(old.id(), old.customer(), old.amount().add(new BigDecimal("1000.01")),
                latest.plus(Duration.ofHours(1)));
        pg.psql(database, "UPDATE public.orders SET amount = " + updated.amount().toPlainString() + ", updated_at = '"
                + updated.updatedAt() + "' WHERE id = " + updated.id());
        orders.put(updated.id(), updated);
        long atOrAfterBookmark = orders.values().stream().filter(o -> !o.updatedAt().isBefore(firstBookmark)).count();

        RunResult second = pipeline.run();

        // tap-postgres filters with updated_at >= bookmark: the bookmark row comes again, the rest are new
        assertThat(atOrAfterBookmark).isEqualTo(NEW_ROWS + 2);
        assertThat(second.rowsWritten()).isEqualTo(atOrAfterBookmark);
        assertThat(Duck.count(warehouse, TABLE)).isEqualTo(FIRST_ROWS + NEW_ROWS);
        assertLoaded(orders); // upsert on id: no duplicates, and row 3 carries its new amount
        assertThat(storedState()).isEqualTo(bookmarkState(updated.updatedAt()));
        assertThat(second.finalState().map(PostgresIncrementalIT::tree)).contains(storedState());
    }

    @Test
    void runWithNothingNewReloadsOnlyTheBookmarkRowAndKeepsTheState() {
        List<Order> orders = List.of(
                new Order(1, "a", new BigDecimal("1.50"), BASE),
                new Order(2, "b", new BigDecimal("2.00"), BASE.plusSeconds(60)),
                new Order(3, "c", new BigDecimal("3.25"), BASE.plusSeconds(30)));
        insert(orders);
        Pipeline pipeline = incrementalPipeline(projectTap(pg.password()));
        pipeline.run();
        JsonNode stored = storedState();

        // the tap echoes the state, re-reads the bookmark row (>=) and ends on a RECORD with no new STATE
        RunResult again = pipeline.run();

        assertThat(again.rowsWritten()).isEqualTo(1);
        assertThat(Duck.count(warehouse, TABLE)).isEqualTo(orders.size());
        assertThat(storedState()).isEqualTo(stored).isEqualTo(bookmarkState(BASE.plusSeconds(60)));
    }

    @Test
    void tapWithWrongPasswordFailsWithItsExitCodeAndStderrTailAndKeepsState() {
        List<Order> orders = List.of(
                new Order(1, "a", new BigDecimal("10.00"), BASE),
                new Order(2, "b", new BigDecimal("20.00"), BASE.plusSeconds(1)));
        insert(orders);
        Tap tap = projectTap(pg.password());
        incrementalPipeline(tap).run();
        Path stateFile = stateStore.root().resolve(stateId()).resolve("state.json");
        assertThat(stateFile).isRegularFile();
        JsonNode stateBefore = storedState();
        pg.psql(database, "INSERT INTO public.orders VALUES " + new Order(3, "c", BigDecimal.ONE, BASE.plusSeconds(2))
                .values());
        ObjectNode badConfig = ((ObjectNode) tap.config()).deepCopy().put("password", "not-" + pg.password());
        Pipeline wrongPassword = incrementalPipeline(tap.toBuilder().config(badConfig).build());

        assertThatThrownBy(wrongPassword::run)
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("tap-postgres")
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("password authentication failed")
                .satisfies(e -> {
                    PluginFailedException failure = (PluginFailedException) e;
                    assertThat(failure.pluginExitCode()).isEqualTo(1);
                    assertThat(failure.stderrTail()).anyMatch(l -> l.contains("password authentication failed"));
                });

        assertThat(storedState()).isEqualTo(stateBefore).isEqualTo(bookmarkState(BASE.plusSeconds(1)));
        assertThat(Duck.count(warehouse, TABLE)).isEqualTo(orders.size());
    }

    /** The tap as the project builds it: installed from PyPI, discovered, {@code select}ed. */
    private Tap projectTap(String password) {
        writeProject(password);
        Project project = Project.open(dir, TestEnv.projectEnv());
        return project.pipeline("tap-postgres", "target-duckdb", RunOptions.defaults()).tap();
    }

    private void writeProject(String password) {
        String yml = String.join("\n",
                "version: 1",
                "default_environment: dev",
                "plugins:",
                "  extractors:",
                "    - name: tap-postgres",
                "      variant: meltanolabs",
                "      pip_url: " + PIP_URL,
                "      config:",
                "        host: " + pg.host(),
                "        port: " + pg.port(),
                "        user: " + pg.user(),
                "        password: '" + password + "'",
                "        database: " + database,
                "        filter_schemas: [public]",
                "      select:",
                "        - " + STREAM + ".*",
                "      metadata:",
                "        " + STREAM + ":",
                "          replication-key: updated_at",
                "  loaders:",
                "    - name: target-duckdb",
                "      variant: tapline",
                "      config:",
                "        filepath: warehouse.duckdb",
                "");
        try {
            Files.writeString(dir.resolve("meltano.yml"), yml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code tap}, whose catalog carries {@code replication-key: updated_at} from the project's {@code metadata}. */
    private Pipeline incrementalPipeline(Tap tap) {
        JsonNode catalog = tap.catalog().orElseThrow(() -> new AssertionError("the project gave the tap no catalog"));
        ObjectNode incremental = catalog.deepCopy();
        List<JsonNode> selected = new ArrayList<>();
        for (JsonNode stream : incremental.path("streams")) {
            for (JsonNode md : stream.path("metadata")) {
                if (md.path("breadcrumb").isEmpty() && md.path("metadata").path("selected").asBoolean(false)) {
                    selected.add(stream);
                    // set by tapline from meltano.yml's metadata extra
                    assertThat(md.path("metadata").path("replication-key").asText()).isEqualTo("updated_at");
                }
            }
        }
        assertThat(selected).extracting(s -> s.path("tap_stream_id").asText()).containsExactly(STREAM);
        DuckDbTargetConfig target = DuckDbTarget.file(warehouse).build();
        return Pipeline.builder()
                .tap(tap.toBuilder().catalog(incremental).build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(stateStore)
                .stateId(stateId())
                .build();
    }

    private static String stateId() {
        return "dev:tap-postgres-to-target-duckdb";
    }

    private void insert(Iterable<Order> orders) {
        StringBuilder sql = new StringBuilder("INSERT INTO public.orders (id, customer, amount, updated_at) VALUES ");
        String sep = "";
        for (Order o : orders) {
            sql.append(sep).append(o.values());
            sep = ", ";
        }
        pg.psql(database, sql.toString());
    }

    /** Every row in DuckDB equals what the test put in Postgres, and nothing else is there. */
    private void assertLoaded(Map<Integer, Order> expected) {
        List<Map<String, Object>> rows = Duck.query(warehouse,
                "SELECT id, customer, amount, updated_at FROM " + TABLE + " ORDER BY id");
        List<Order> loaded = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            loaded.add(new Order(((Number) r.get("id")).intValue(), (String) r.get("customer"),
                    new BigDecimal(r.get("amount").toString()), instant(r.get("updated_at"))));
        }
        assertThat(loaded)
                .usingRecursiveFieldByFieldElementComparator(RecursiveComparisonConfiguration.builder()
                        .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).build())
                .containsExactlyElementsOf(expected.values());
    }

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof java.time.LocalDateTime ldt) {
            return ldt.toInstant(ZoneOffset.UTC);
        }
        throw new AssertionError("unexpected timestamp value " + value + " (" + value.getClass() + ")");
    }

    private static Instant maxUpdatedAt(Map<Integer, Order> orders) {
        return orders.values().stream().map(Order::updatedAt).max(Comparator.naturalOrder()).orElseThrow();
    }

    /** The tap's STATE after an incremental sync whose newest row has {@code updatedAt}. */
    private static JsonNode bookmarkState(Instant updatedAt) {
        ObjectNode state = JSON.createObjectNode();
        state.putObject("bookmarks").putObject(STREAM)
                .put("replication_key", "updated_at")
                .put("replication_key_value", TAP_TIMESTAMP.format(updatedAt));
        return state;
    }

    private JsonNode storedState() {
        Optional<StateBlob> stored = stateStore.read(stateId());
        assertThat(stored).as("stored state for %s", stateId()).isPresent();
        return tree(stored.get());
    }

    private static JsonNode tree(StateBlob blob) {
        try {
            return JSON.readTree(blob.json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
