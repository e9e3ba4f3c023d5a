package io.tapline.internal.protocol.arrow;

import io.tapline.spi.StreamSchema;
import io.tapline.spi.Column;
import io.tapline.spi.ColumnType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.ErrorCode;
import io.tapline.internal.protocol.Fixtures;
import io.tapline.spi.ProtocolException;
import io.tapline.internal.protocol.SingerScan;
import io.tapline.spi.StreamName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Other projects' Singer streams through parser, schema mapping and batch builder, checked value by value. */
class BatchBuilderFixturesTest {
    private static final String DATA_FILES = "MeltanoLabs__target-postgres/target_postgres/tests/data_files/";
    private static final String SDK_STREAMS = "meltano__sdk/singer_sdk/testing/target_test_streams/";
    private static final String SNOWFLAKE = "transferwise__pipelinewise-target-snowflake/tests/integration/resources/";

    private BufferAllocator allocator;
    private Batches batches;

    @BeforeEach
    void openAllocator() {
        allocator = new RootAllocator();
        batches = new Batches(allocator);
    }

    @AfterEach
    void closeAllocator() {
        batches.close();
        allocator.close(); // throws if a buffer leaked
    }

    static Stream<String> parsableFixtures() {
        return Fixtures.singerStreams().stream()
                .filter(f -> SingerScan.of(f).failure().isEmpty())
                .map(Fixtures::name);
    }

    /**
     * Every fixture the parser accepts either loads, each stream holding as many rows as it had
     * RECORDs and each value equal to an independent reading of the record, or fails with a
     * protocol error that points at one of the stream's own SCHEMA or RECORD lines. Nothing else
     * (no index or null-pointer errors, no leaked buffers).
     */
    @ParameterizedTest
    @MethodSource("parsableFixtures")
    void everyFixtureLoadsValueByValueOrFailsWithAProtocolError(String fixture) {
        SingerScan scan = SingerScan.of(Fixtures.path(fixture));

        Throwable failure = catchThrowable(() -> batches.file(Fixtures.path(fixture)));

        if (failure == null) {
            assertThat(batches.appended()).containsExactlyInAnyOrderEntriesOf(scan.recordCounts());
            batches.builders().forEach((stream, builder) -> assertRowsMatch(scan, stream, builder));
            return;
        }
        assertThat(failure).isInstanceOf(ProtocolException.class);
        ProtocolException e = (ProtocolException) failure;
        assertThat(e.errorCode()).isIn(ErrorCode.INVALID_SCHEMA, ErrorCode.RECORD_MISSING_KEY,
                ErrorCode.RECORD_BREAKS_SCHEMA);
        SingerScan.Message line = scan.messages().stream().filter(m -> m.line() == e.lineNumber()).findFirst()
                .orElseThrow(() -> new AssertionError("error names line " + e.lineNumber() + ", not a message line"));
        assertThat(line.type()).isIn("SCHEMA", "RECORD");
        assertThat(e.stream().map(StreamName::value)).isEqualTo(line.stream());
    }

    @Test
    void tapCountriesLoadsEveryRecordIntoItsStream() {
        Path fixture = Fixtures.path(DATA_FILES + "tap_countries.singer");
        SingerScan scan = SingerScan.of(fixture);

        batches.file(fixture);

        assertThat(batches.builders().keySet()).extracting(StreamName::value)
                .containsExactlyElementsOf(scan.recordCounts().keySet());
        scan.recordCounts().forEach((stream, count) ->
                assertThat(batches.root(stream).getRowCount()).as(stream).isEqualTo(count.intValue()));
        VectorSchemaRoot countries = batches.root("countries");
        assertThat(countries.getSchema().findField("languages").getMetadata())
                .containsEntry(StreamSchema.TYPE_METADATA_KEY, "json");
        List<JsonNode> records = scan.records("countries");
        for (int row = 0; row < records.size(); row++) {
            assertThat(SingerScan.tree(text(countries.getVector("languages"), row)))
                    .isEqualTo(records.get(row).get("languages"));
            assertThat(text(countries.getVector("emoji"), row)).isEqualTo(records.get(row).get("emoji").textValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {SDK_STREAMS + "encoded_string_data.singer", DATA_FILES + "encoded_strings.singer"})
    void encodedStringsArriveExactlyAsDecodedJson(String fixture) {
        SingerScan scan = SingerScan.of(Fixtures.path(fixture));

        batches.file(Fixtures.path(fixture));

        List<JsonNode> strings = scan.records("test_strings");
        VarCharVector info = (VarCharVector) batches.root("test_strings").getVector("info");
        assertThat(info.getValueCount()).isEqualTo(strings.size());
        for (int row = 0; row < strings.size(); row++) {
            assertThat(info.get(row)).as("row %d", row)
                    .isEqualTo(strings.get(row).get("info").textValue().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void commitsColumnsFollowTheirAnyOfSchemas() {
        batches.file(Fixtures.path(DATA_FILES + "commits.singer"));

        assertThat(batches.builder("commits").schema().columns()).containsExactly(
                new Column("id", ColumnType.VARCHAR),
                new Column("authored_date", ColumnType.TIMESTAMPTZ),
                new Column("committed_date", ColumnType.TIMESTAMPTZ),
                new Column("parent_ids", ColumnType.JSON),
                new Column("commit_message", ColumnType.VARCHAR),
                new Column("legacy_id", ColumnType.VARCHAR));
    }

    @Test
    void untypedPropertiesBecomeJsonColumns() {
        batches.file(Fixtures.path(DATA_FILES + "test_no_type.singer"));

        StreamSchema schema = batches.builder("test_no_type").schema();
        assertThat(schema.columns()).contains(new Column("OldValue", ColumnType.JSON),
                new Column("NewValue", ColumnType.JSON));
    }

    @ParameterizedTest
    @ValueSource(strings = {DATA_FILES + "invalid_schema.singer", SDK_STREAMS + "invalid_schema.singer"})
    void schemaWithoutPropertiesFixtureFailsAsInvalidSchema(String fixture) {
        SingerScan.Message schema = SingerScan.of(Fixtures.path(fixture)).messages().stream()
                .filter(m -> m.type().equals("SCHEMA") && !m.node().path("schema").path("properties").isObject())
                .findFirst().orElseThrow();

        ProtocolException e = failure(fixture);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SCHEMA);
        assertThat(e.lineNumber()).isEqualTo(schema.line());
        assertThat(e.stream().map(StreamName::value)).isEqualTo(schema.stream());
    }

    @ParameterizedTest
    @ValueSource(strings = {DATA_FILES + "record_missing_key_property.singer",
        SDK_STREAMS + "record_missing_key_property.singer", SNOWFLAKE + "messages-with-null-pk.json"})
    void recordWithoutItsKeyFixtureFailsAsMissingKey(String fixture) {
        SingerScan.Message record = firstRecordWithoutItsKey(SingerScan.of(Fixtures.path(fixture)));

        ProtocolException e = failure(fixture);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_MISSING_KEY);
        assertThat(e.lineNumber()).isEqualTo(record.line());
        assertThat(e.stream().map(StreamName::value)).isEqualTo(record.stream());
    }

    @Test
    void timeColumnGivenAnIntegerFailsNamingTheFieldButNotTheValue() {
        String fixture = SNOWFLAKE + "messages-with-unexpected-types.json";
        SingerScan.Message record = SingerScan.of(Fixtures.path(fixture)).messages().stream()
                .filter(m -> m.type().equals("RECORD") && m.node().at("/record/c_time").isNumber())
                .findFirst().orElseThrow();
        String value = record.node().at("/record/c_time").asText();

        ProtocolException e = failure(fixture);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA);
        assertThat(e.lineNumber()).isEqualTo(record.line());
        assertThat(e.getMessage()).contains("field 'c_time'").doesNotContain(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jwills__target-duckdb/tests/integration/resources/messages-with-invalid-records.json",
        SNOWFLAKE + "messages-with-invalid-records.json"})
    void nonNumericIntegerKeyFixtureFailsWithoutEchoingTheValue(String fixture) {
        SingerScan.Message record = SingerScan.of(Fixtures.path(fixture)).messages().stream()
                .filter(m -> m.type().equals("RECORD") && m.node().at("/record/c_pk").isTextual())
                .findFirst().orElseThrow();

        ProtocolException e = failure(fixture);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA);
        assertThat(e.lineNumber()).isEqualTo(record.line());
        assertThat(e.getMessage()).contains("field 'c_pk'")
                .doesNotContain(record.node().at("/record/c_pk").textValue());
    }

    // --- helpers --------------------------------------------------------------------------------

    private ProtocolException failure(String fixture) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> batches.file(Fixtures.path(fixture)));
        assertThat(e).as("loading %s should fail", fixture).isNotNull();
        return e;
    }

    /** The first RECORD whose key property is absent or null, by the stream's latest SCHEMA. */
    private static SingerScan.Message firstRecordWithoutItsKey(SingerScan scan) {
        Map<String, JsonNode> keys = new HashMap<>();
        for (SingerScan.Message m : scan.messages()) {
            if (m.type().equals("SCHEMA")) {
                keys.put(m.stream().orElseThrow(), m.node().path("key_properties"));
            } else if (m.type().equals("RECORD")) {
                for (JsonNode key : keys.get(m.stream().orElseThrow())) {
                    if (m.node().get("record").path(key.asText()).isMissingNode()
                            || m.node().get("record").path(key.asText()).isNull()) {
                        return m;
                    }
                }
            }
        }
        throw new AssertionError("no record without its key");
    }

    /**
     * When the builder holds all of the stream's records (its schema never changed), each value
     * equals what an independent reading of the record says it should be.
     */
    private static void assertRowsMatch(SingerScan scan, StreamName stream, BatchBuilder builder) {
        List<JsonNode> records = scan.records(stream.value());
        VectorSchemaRoot root = builder.root();
        if (root.getRowCount() != records.size()) {
            return; // a later, different SCHEMA started a new builder; its rows are the tail
        }
        for (Column column : builder.schema().columns()) {
            FieldVector vector = root.getVector(column.name());
            for (int row = 0; row < records.size(); row++) {
                JsonNode value = records.get(row).get(column.name());
                String where = stream + "." + column.name() + " row " + row;
                if (value == null || value.isNull()) {
                    assertThat(vector.isNull(row)).as(where).isTrue();
                    continue;
                }
                assertThat(vector.isNull(row)).as(where).isFalse();
                switch (column.type()) {
                    case BIGINT -> assertThat(vector.getObject(row)).as(where).isEqualTo(value.longValue());
                    case DOUBLE -> assertThat(vector.getObject(row)).as(where).isEqualTo(value.doubleValue());
                    case BOOLEAN -> assertThat(vector.getObject(row)).as(where).isEqualTo(value.booleanValue());
                    case VARCHAR -> {
                        if (value.isTextual()) {
                            assertThat(text(vector, row)).as(where).isEqualTo(value.textValue());
                        } else {
                            assertThat(SingerScan.tree(text(vector, row))).as(where).isEqualTo(value);
                        }
                    }
                    case TIMESTAMPTZ -> assertThat(vector.getObject(row)).as(where)
                            .isEqualTo(BatchBuilderTest.micros(instant(value.textValue())));
                    case DATE -> assertThat(vector.getObject(row)).as(where)
                            .isEqualTo((int) LocalDate.parse(value.textValue().substring(0, 10)).toEpochDay());
                    case TIME -> assertThat(vector.getObject(row)).as(where)
                            .isEqualTo(LocalTime.parse(value.textValue()).toNanoOfDay() / 1000);
                    case JSON -> assertThat(SingerScan.tree(text(vector, row))).as(where).isEqualTo(value);
                }
            }
        }
    }

    /** java.time's reading of a date-time text; no offset means UTC, a bare date means midnight. */
    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException e) {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        }
    }

    private static String text(FieldVector vector, int row) {
        return new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8);
    }
}
