package io.tapline.internal.protocol.singer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.ErrorCode;
import io.tapline.internal.protocol.Fixtures;
import io.tapline.spi.ProtocolException;
import io.tapline.internal.protocol.SingerScan;
import io.tapline.spi.StreamName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser against Singer streams other projects wrote for their own targets' test suites. */
class SingerFixturesTest {
    private static final Pattern RECORD_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"RECORD\"");
    private static final Pattern STATE_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"STATE\"");
    private static final Pattern SCHEMA_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"SCHEMA\"");
    private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*\"([^\"]+)\"");

    @ParameterizedTest
    @ValueSource(strings = {
        "MeltanoLabs__target-postgres/target_postgres/tests/data_files/record_before_schema.singer",
        "meltano__sdk/singer_sdk/testing/target_test_streams/record_before_schema.singer",
        "jwills__target-duckdb/tests/integration/resources/invalid-message-order.json",
        "transferwise__pipelinewise-target-postgres/tests/integration/resources/invalid-message-order.json"
    })
    void recordBeforeSchemaFixtureFailsNamingStreamAndLine(String fixture) {
        SingerScan.Failure expected = SingerScan.of(Fixtures.path(fixture)).failure().orElseThrow();
        assertThat(expected.code()).isEqualTo(ErrorCode.RECORD_BEFORE_SCHEMA);

        ProtocolException e = parseFailure(fixture);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BEFORE_SCHEMA);
        assertThat(e.lineNumber()).isEqualTo(expected.line());
        assertThat(e.stream()).isEqualTo(expected.stream().map(StreamName::of));
        assertThat(e.getMessage()).startsWith("line " + expected.line() + ": ")
                .contains("'" + expected.stream().orElseThrow() + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jwills__target-duckdb/tests/integration/resources/invalid-json.json",
        "transferwise__pipelinewise-target-postgres/tests/integration/resources/invalid-json.json",
        "transferwise__pipelinewise-target-redshift/tests/integration/resources/invalid-json.json",
        "transferwise__pipelinewise-target-snowflake/tests/integration/resources/invalid-json.json"
    })
    void invalidJsonFixtureFailsAtItsFirstNonJsonLine(String fixture) {
        long expectedLine = firstLineJacksonRejects(Fixtures.path(fixture));

        ProtocolException e = parseFailure(fixture);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(expectedLine);
        assertThat(e.getMessage()).startsWith("line " + expectedLine + ": ").contains("invalid JSON");
    }

    @Test
    void tapCountriesParsesFully() throws IOException {
        Path fixture = Fixtures.path("MeltanoLabs__target-postgres/target_postgres/tests/data_files/tap_countries.singer");
        List<String> lines = Files.readAllLines(fixture);
        Map<String, Long> expectedRecords = new LinkedHashMap<>();
        for (String line : lines) {
            if (RECORD_TYPE.matcher(line).find()) {
                var m = STREAM.matcher(line);
                assertThat(m.find()).isTrue();
                expectedRecords.merge(m.group(1), 1L, Long::sum);
            }
        }
        long expectedStates = lines.stream().filter(l -> STATE_TYPE.matcher(l).find()).count();
        long expectedSchemas = lines.stream().filter(l -> SCHEMA_TYPE.matcher(l).find()).count();

        List<SingerMessage> messages = readAll(fixture);

        Map<String, Long> records = new LinkedHashMap<>();
        messages.stream().filter(RecordMessage.class::isInstance).map(RecordMessage.class::cast)
                .forEach(r -> records.merge(r.stream().value(), 1L, Long::sum));
        assertThat(records).containsExactlyEntriesOf(expectedRecords);
        assertThat(messages.stream().filter(StateMessage.class::isInstance).count()).isEqualTo(expectedStates);
        assertThat(messages.stream().filter(SchemaMessage.class::isInstance).count()).isEqualTo(expectedSchemas);
        assertThat(messages).hasSize((int) (records.values().stream().mapToLong(Long::longValue).sum()
                + expectedStates + expectedSchemas));
    }

    @Test
    void tapCountriesRecordsAndStatesEqualAnIndependentReading() {
        Path fixture = Fixtures.path("MeltanoLabs__target-postgres/target_postgres/tests/data_files/tap_countries.singer");
        SingerScan scan = SingerScan.of(fixture);

        List<SingerMessage> messages = readAll(fixture);

        assertThat(messages.stream().filter(RecordMessage.class::isInstance).map(m -> ((RecordMessage) m).record()))
                .containsExactlyElementsOf(scan.messages().stream().filter(m -> m.type().equals("RECORD"))
                        .map(m -> m.node().get("record")).toList());
        assertThat(messages.stream().filter(StateMessage.class::isInstance).map(m -> ((StateMessage) m).value().json()))
                .containsExactlyElementsOf(scan.states().stream().map(SingerScan::compact).toList());
    }

    @Test
    void keyAndBookmarkPropertiesComeFromTheSchemaMessage() {
        Path fixture = Fixtures.path("MeltanoLabs__target-postgres/target_postgres/tests/data_files/test_no_type.singer");
        SingerScan.Message expected = SingerScan.of(fixture).messages().stream()
                .filter(m -> m.type().equals("SCHEMA")).findFirst().orElseThrow();

        SchemaMessage schema = readAll(fixture).stream().filter(SchemaMessage.class::isInstance)
                .map(SchemaMessage.class::cast).findFirst().orElseThrow();

        assertThat(schema.keyProperties()).containsExactlyElementsOf(textList(expected.node().get("key_properties")))
                .isNotEmpty();
        assertThat(schema.bookmarkProperties())
                .containsExactlyElementsOf(textList(expected.node().get("bookmark_properties"))).isNotEmpty();
        assertThat(schema.schema().node()).isEqualTo(expected.node().get("schema"));
    }

    @Test
    void batchFixtureParsesIntoABatchMessage() {
        Path fixture = Fixtures.path("meltano__sdk/tests/snapshots/mapped_stream/aliased_stream_batch.jsonl");
        SingerScan.Message expected = SingerScan.of(fixture).messages().stream()
                .filter(m -> m.type().equals("BATCH")).findFirst().orElseThrow();

        BatchMessage batch = readAll(fixture).stream().filter(BatchMessage.class::isInstance)
                .map(BatchMessage.class::cast).findFirst().orElseThrow();

        assertThat(batch.stream().value()).isEqualTo(expected.stream().orElseThrow());
        assertThat(batch.format()).isEqualTo(expected.node().at("/encoding/format").asText());
        assertThat(batch.manifest()).map(Object::toString)
                .containsExactlyElementsOf(textList(expected.node().get("manifest")));
    }

    static Stream<String> singerStreams() {
        return Fixtures.singerStreams().stream().map(Fixtures::name);
    }

    /**
     * Every fixture either parses into the same messages an independent reading finds, or fails with
     * the error, line and stream that reading predicts.
     */
    @ParameterizedTest
    @MethodSource("singerStreams")
    void everyFixtureParsesAsAnIndependentReadingPredicts(String fixture) {
        SingerScan scan = SingerScan.of(Fixtures.path(fixture));

        if (scan.failure().isPresent()) {
            SingerScan.Failure expected = scan.failure().get();
            ProtocolException e = parseFailure(fixture);
            assertThat(e.errorCode()).isEqualTo(expected.code());
            assertThat(e.lineNumber()).isEqualTo(expected.line());
            if (expected.code() == ErrorCode.RECORD_BEFORE_SCHEMA) {
                assertThat(e.stream()).isEqualTo(expected.stream().map(StreamName::of));
            }
            return;
        }
        List<SingerMessage> messages = readAll(Fixtures.path(fixture));
        assertThat(messages.stream().map(SingerFixturesTest::typeOf))
                .containsExactlyElementsOf(scan.messages().stream().map(SingerScan.Message::type)
                        .filter(t -> List.of("SCHEMA", "RECORD", "STATE", "ACTIVATE_VERSION", "BATCH").contains(t))
                        .toList());
    }

    private static String typeOf(SingerMessage message) {
        if (message instanceof SchemaMessage) {
            return "SCHEMA";
        } else if (message instanceof RecordMessage) {
            return "RECORD";
        } else if (message instanceof StateMessage) {
            return "STATE";
        } else if (message instanceof ActivateVersionMessage) {
            return "ACTIVATE_VERSION";
        } else if (message instanceof BatchMessage) {
            return "BATCH";
        }
        throw new AssertionError("unexpected message " + message);
    }

    private static List<String> textList(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static long firstLineJacksonRejects(Path file) {
        SingerScan.Failure failure = SingerScan.of(file).failure().orElseThrow();
        assertThat(failure.code()).isEqualTo(ErrorCode.INVALID_JSON);
        return failure.line();
    }

    private static List<SingerMessage> readAll(Path fixture) {
        try (InputStream in = Files.newInputStream(fixture)) {
            return new SingerLineParser().readAll(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProtocolException parseFailure(String fixture) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> readAll(Fixtures.path(fixture)));
        assertThat(e).as("parsing %s should fail", fixture).isNotNull();
        return e;
    }
}
