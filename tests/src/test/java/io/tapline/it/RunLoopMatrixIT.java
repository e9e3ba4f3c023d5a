package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.Pipeline;
import io.tapline.PipelineOptions;
import io.tapline.RunHandle;
import io.tapline.SingerPlugin;
import io.tapline.Tap;
import io.tapline.internal.runner.process.VirtualEnvs;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.RecordHandling;
import io.tapline.spi.RunListener;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.spi.TaplineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run loop's matrix: a Singer tap and an Airbyte source (real processes, shell scripts speaking each protocol),
 * each into tapline's DuckDB target and into an external Singer target (target-jsonl from PyPI), with strict
 * validation on (and flattening on the tapline target). Each run fails after the source's first STATE: the source
 * crashes, sends a record that breaks its schema, is cancelled, or goes idle. All four combinations end the same:
 * the same error, the stored state is the one after the records before the failure, the destination holds exactly
 * those records, and the last committed-state event counts them.
 */
@Timeout(600) // the first run installs target-jsonl into the shared venv cache
class RunLoopMatrixIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_JSONL = "target-jsonl==0.1.4";
    /** Records the sources send before their STATE; two more follow it, which no destination may keep. */
    private static final List<Integer> BEFORE_STATE = List.of(1, 2, 3);
    private static final List<Integer> AFTER_STATE = List.of(4, 5);
    private static final String STREAM_SCHEMA = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
            + "\"name\":{\"type\":[\"null\",\"string\"]},\"address\":{\"type\":[\"null\",\"object\"],"
            + "\"properties\":{\"city\":{\"type\":[\"null\",\"string\"]}}}}}";

    private static Path targetJsonl;
    private static ExecutorService executor;

    @TempDir Path dir;

    enum Protocol { SINGER, AIRBYTE }

    enum Destination { TAPLINE_DUCKDB, EXTERNAL_TARGET_JSONL }

    /** How the source ends after its STATE and the records behind it. */
    enum Failure {
        CRASH("exit 1"),
        BAD_RECORD(null),
        CANCEL("exec sleep 600"),
        IDLE("exec sleep 600");

        final String ending;

        Failure(String ending) {
            this.ending = ending;
        }
    }

    @BeforeAll
    static void installTarget() {
        Path venv = new VirtualEnvs(TestEnv.venvCache()).install("target-jsonl", TARGET_JSONL, "python3", false);
        targetJsonl = venv.resolve("bin/target-jsonl");
        executor = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopExecutor() throws InterruptedException {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Failure f : Failure.values()) {
            for (Protocol p : Protocol.values()) {
                for (Destination d : Destination.values()) {
                    out.add(Arguments.of(f, p, d));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1} into {2}")
    @MethodSource("matrix")
    void aRunFailingAfterAStateKeepsExactlyWhatCameBeforeItInEveryCombination(Failure failure, Protocol protocol,
            Destination destination) throws Exception {
        FileStateStore store = FileStateStore.at(dir.resolve("state"));
        Events events = new Events();
        Pipeline pipeline = pipeline(protocol, destination, failure, store, events);

        Throwable thrown;
        if (failure == Failure.CANCEL) {
            try (RunHandle run = pipeline.start(executor)) {
                // the STATE reached the loop once the records before it were handed over
                assertThat(events.handedOver.await(60, TimeUnit.SECONDS)).as("records handed over").isTrue();
                run.cancel();
                thrown = catchThrowable(() -> run.await(Duration.ofSeconds(60)));
            }
        } else {
            thrown = catchThrowable(pipeline::run);
        }

        assertThat(thrown).isInstanceOf(TaplineException.class);
        assertThat(((TaplineException) thrown).errorCode()).isEqualTo(expectedError(failure));
        assertThat(((TaplineException) thrown).errorCode().exitCode()).isEqualTo(expectedError(failure).exitCode());

        StateBlob stored = store.read("matrix").orElseThrow();
        assertThat(bookmark(protocol, stored)).as("stored state").isEqualTo(BEFORE_STATE.get(BEFORE_STATE.size() - 1));
        assertThat(ids(destination)).as("rows in the destination").containsExactlyInAnyOrderElementsOf(BEFORE_STATE);
        assertThat(events.lastCommittedRows.get()).as("rows counted with the committed state")
                .isEqualTo(BEFORE_STATE.size());
        if (destination == Destination.TAPLINE_DUCKDB) {
            assertThat(Duck.query(dir.resolve("out.duckdb"), "SELECT address__city FROM raw.items ORDER BY id"))
                    .extracting(row -> row.get("address__city"))
                    .containsExactlyElementsOf(BEFORE_STATE.stream().map(RunLoopMatrixIT::city).toList());
        }
    }

    private static ErrorCode expectedError(Failure failure) {
        return switch (failure) {
            case CRASH -> ErrorCode.PLUGIN_FAILED;
            case BAD_RECORD -> ErrorCode.RECORD_BREAKS_SCHEMA;
            case CANCEL -> ErrorCode.INTERRUPTED;
            case IDLE -> ErrorCode.PLUGIN_TIMEOUT;
        };
    }

    private Pipeline pipeline(Protocol protocol, Destination destination, Failure failure, FileStateStore store,
            Events events) throws IOException {
        Path source = protocol == Protocol.SINGER ? singerTap(failure) : airbyteSource(failure);
        Tap tap = protocol == Protocol.SINGER
                ? Tap.singer("tap-matrix").command(source).capabilities(Set.of(Tap.Capability.STATE)).build()
                : Tap.airbyte("source-matrix").command(source).build();
        PipelineOptions options = PipelineOptions.defaults()
                .withValidation(RecordHandling.Validation.STRICT)
                .withIdleTimeout(failure == Failure.IDLE ? Duration.ofSeconds(2) : Duration.ofMinutes(5));
        Pipeline.Builder b = Pipeline.builder().tap(tap).stateStore(store).stateId("matrix").options(options)
                .listener(events);
        if (destination == Destination.TAPLINE_DUCKDB) {
            var config = DuckDbTarget.file(dir.resolve("out.duckdb")).schema("raw")
                    .records(new RecordHandling(Set.of(), 1, RecordHandling.Validation.STRICT, false)).build();
            b.target(allocator -> DuckDbTarget.open(config, allocator));
        } else {
            Files.createDirectories(dir.resolve("jsonl"));
            b.singerTarget(SingerPlugin.of("target-jsonl", List.of(targetJsonl.toString()), JSON.createObjectNode()
                    .put("destination_path", dir.resolve("jsonl").toString()).put("do_timestamp_file", false)));
        }
        return b.build();
    }

    /** The ids the destination holds. */
    private List<Integer> ids(Destination destination) throws IOException {
        if (destination == Destination.TAPLINE_DUCKDB) {
            if (!Files.exists(dir.resolve("out.duckdb"))) {
                return List.of();
            }
            return Duck.query(dir.resolve("out.duckdb"), "SELECT id FROM raw.items").stream()
                    .map(r -> ((Number) r.get("id")).intValue()).toList();
        }
        Path file = dir.resolve("jsonl/items.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Integer> ids = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            ids.add(JSON.readTree(line).path("id").asInt());
        }
        return ids;
    }

    /** The bookmark a stored state holds, in either protocol's shape. */
    private static int bookmark(Protocol protocol, StateBlob state) throws IOException {
        JsonNode node = JSON.readTree(state.json());
        return protocol == Protocol.SINGER ? node.at("/bookmarks/items/id").asInt(-1)
                : node.at("/0/stream/stream_state/id").asInt(-1);
    }

    private Path singerTap(Failure failure) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("{\"type\":\"SCHEMA\",\"stream\":\"items\",\"schema\":" + STREAM_SCHEMA + ",\"key_properties\":[\"id\"]}");
        BEFORE_STATE.forEach(id -> lines.add(singerRecord(data(id))));
        lines.add("{\"type\":\"STATE\",\"value\":{\"bookmarks\":{\"items\":{\"id\":" + last() + "}}}}");
        AFTER_STATE.forEach(id -> lines.add(singerRecord(data(id))));
        if (failure == Failure.BAD_RECORD) {
            lines.add(singerRecord("{\"id\":\"not a number\",\"name\":\"x\",\"address\":null}"));
        }
        return script("tap-matrix", "#!/bin/sh\ncat <<'EOF'\n" + String.join("\n", lines) + "\nEOF\n"
                + (failure.ending == null ? "" : failure.ending + "\n"));
    }

    private Path airbyteSource(Failure failure) throws IOException {
        String catalog = "{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[{\"name\":\"items\",\"json_schema\":"
                + STREAM_SCHEMA + ",\"supported_sync_modes\":[\"full_refresh\",\"incremental\"],"
                + "\"source_defined_cursor\":true,\"default_cursor_field\":[\"id\"],"
                + "\"source_defined_primary_key\":[[\"id\"]]}]}}";
        List<String> lines = new ArrayList<>();
        BEFORE_STATE.forEach(id -> lines.add(airbyteRecord(data(id))));
        lines.add("{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":"
                + "{\"name\":\"items\"},\"stream_state\":{\"id\":" + last() + "}}}}");
        AFTER_STATE.forEach(id -> lines.add(airbyteRecord(data(id))));
        if (failure == Failure.BAD_RECORD) {
            lines.add(airbyteRecord("{\"id\":\"not a number\",\"name\":\"x\",\"address\":null}"));
        }
        return script("source-matrix", """
                #!/bin/sh
                case "$1" in
                  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object"}}}' ;;
                  discover) echo '%s' ;;
                  read) cat <<'EOF'
                %s
                EOF
                  %s ;;
                esac
                """.formatted(catalog, String.join("\n", lines), failure.ending == null ? "" : failure.ending));
    }

    private static int last() {
        return BEFORE_STATE.get(BEFORE_STATE.size() - 1);
    }

    private static String data(int id) {
        return "{\"id\":" + id + ",\"name\":\"n" + id + "\",\"address\":{\"city\":\"" + city(id) + "\"}}";
    }

    private static String city(int id) {
        return "city-" + id;
    }

    private static String singerRecord(String data) {
        return "{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":" + data + "}";
    }

    private static String airbyteRecord(String data) {
        return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"items\",\"data\":" + data + ",\"emitted_at\":1}}";
    }

    private Path script(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    /** The listener events the test synchronises on and checks. */
    private static final class Events implements RunListener {
        final CountDownLatch handedOver = new CountDownLatch(BEFORE_STATE.size());
        final AtomicLong lastCommittedRows = new AtomicLong(-1);

        @Override
        public void rowsWritten(StreamName stream, long rows) {
            for (long i = 0; i < rows; i++) {
                handedOver.countDown();
            }
        }

        @Override
        public void stateCommitted(StateBlob state, long rowsCommitted) {
            lastCommittedRows.set(rowsCommitted);
        }
    }

}
