package io.tapline.internal.protocol.arrow;

import io.tapline.spi.StreamSchema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.internal.protocol.SingerScan;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchBuilderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One column of every type; id is the key. */
    private static final String SCHEMA = schema("s", "[\"id\"]",
            "\"id\":{\"type\":\"integer\"},"
                    + "\"n\":{\"type\":[\"null\",\"integer\"]},"
                    + "\"score\":{\"type\":\"number\"},"
                    + "\"active\":{\"type\":\"boolean\"},"
                    + "\"name\":{\"type\":[\"null\",\"string\"]},"
                    + "\"ts\":{\"type\":\"string\",\"format\":\"date-time\"},"
                    + "\"day\":{\"type\":\"string\",\"format\":\"date\"},"
                    + "\"at\":{\"type\":\"string\",\"format\":\"time\"},"
                    + "\"doc\":{},"
                    + "\"either\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}");

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

    // --- values ---------------------------------------------------------------------------------

    @Test
    void integersLandInABigIntVector() {
        batches.lines(SCHEMA,
                record("{\"id\":1}"),
                record("{\"id\":" + Long.MAX_VALUE + "}"),
                record("{\"id\":" + Long.MIN_VALUE + "}"),
                record("{\"id\":-42}"));

        assertThat(values("id")).containsExactly(1L, Long.MAX_VALUE, Long.MIN_VALUE, -42L);
        assertThat(vector("id")).isInstanceOf(BigIntVector.class);
    }

    @Test
    void numbersLandInAFloat8Vector() {
        batches.lines(SCHEMA,
                record("{\"id\":1,\"score\":1.5}"),
                record("{\"id\":2,\"score\":-0.25}"),
                record("{\"id\":3,\"score\":3}"),
                record("{\"id\":4,\"score\":1e300}"),
                record("{\"id\":5,\"score\":" + Double.MIN_VALUE + "}"));

        assertThat(values("score")).containsExactly(1.5, -0.25, 3.0, 1e300, Double.MIN_VALUE);
        assertThat(vector("score")).isInstanceOf(Float8Vector.class);
    }

    @Test
    void booleansLandInABitVector() {
        batches.lines(SCHEMA,
                record("{\"id\":1,\"active\":true}"),
                record("{\"id\":2,\"active\":false}"),
                record("{\"id\":3}"));

        assertThat(values("active")).containsExactly(true, false, null);
        assertThat(vector("active")).isInstanceOf(BitVector.class);
    }

    @Test
    void stringsKeepUnicodeSurrogatePairsAndEscapes() throws IOException {
        List<String> literals = List.of(
                "\"plain ascii\"",
                "\"Καλημέρα κόσμε, コンニチハ, 简单的字串, Привет, สวัสดี, مرحبا\"",
                "\"emoji 😀, flag 🇬🇷, family 👨‍👩‍👧, musical 𝄞\"",
                "\"\\u00e9\\u20ac\\ud83d\\ude00\\uD834\\uDD1E\"",
                "\"quote \\\" backslash \\\\ slash \\/ tab \\t newline \\n return \\r\"",
                "\"nul \\u0000 and bell \\u0007 inside\"",
                "\"\"",
                "\"" + "long ü ".repeat(500) + "\"");
        String[] lines = new String[literals.size() + 1];
        lines[0] = SCHEMA;
        for (int i = 0; i < literals.size(); i++) {
            lines[i + 1] = record("{\"id\":" + i + ",\"name\":" + literals.get(i) + "}");
        }

        batches.lines(lines);

        VarCharVector names = (VarCharVector) vector("name");
        for (int i = 0; i < literals.size(); i++) {
            String expected = MAPPER.readTree(literals.get(i)).textValue();
            assertThat(names.get(i)).as("row %d", i).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void loneSurrogateBecomesAQuestionMark() {
        batches.lines(SCHEMA, record("{\"id\":1,\"name\":\"lone \\ud800 high, lone \\udc00 low\"}"));

        assertThat(values("name")).containsExactly("lone ? high, lone ? low");
    }

    @Test
    void varcharUnionColumnKeepsEachScalarsText() {
        String big = BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TEN).toString();
        batches.lines(SCHEMA,
                record("{\"id\":1,\"either\":\"abc\"}"),
                record("{\"id\":2,\"either\":42}"),
                record("{\"id\":3,\"either\":" + big + "}"),
                record("{\"id\":4,\"either\":1.50}"),
                record("{\"id\":5,\"either\":true}"));

        assertThat(values("either")).containsExactly("abc", "42", big, "1.50", "true");
    }

    @Test
    void varcharUnionKeepsNumberTextWhateverTheFieldOrder() {
        batches.lines(SCHEMA,
                record("{\"id\":1,\"either\":1.50}"),
                "{\"record\":{\"id\":2,\"either\":1.50},\"type\":\"RECORD\",\"stream\":\"s\"}",
                record("{\"id\":3,\"either\":0.1000000000000000000001}"),
                "{\"record\":{\"id\":4,\"either\":0.1000000000000000000001},\"type\":\"RECORD\",\"stream\":\"s\"}");

        assertThat(values("either")).containsExactly("1.50", "1.50", "0.1000000000000000000001",
                "0.1000000000000000000001");
    }

    @Test
    void timestampsAreMicrosSinceTheEpochInUtc() {
        List<String> texts = List.of(
                "2024-05-01T12:30:00.123456Z",
                "2024-05-01T14:30:00.123456+02:00",
                "2024-05-01T07:30:00.5-05:00",
                "2024-05-01T12:30:00+0530",
                "2024-05-01T12:30:00",
                "2024-05-01 12:30:00.25",
                "2024-05-01",
                "2024-05-01T12:30:00.123456789Z",
                "1969-07-20T20:17:40Z",
                "2024-05-01T12:30Z");
        List<Instant> expected = List.of(
                Instant.parse("2024-05-01T12:30:00.123456Z"),
                OffsetDateTime.parse("2024-05-01T14:30:00.123456+02:00").toInstant(),
                OffsetDateTime.parse("2024-05-01T07:30:00.5-05:00").toInstant(),
                OffsetDateTime.parse("2024-05-01T12:30:00+05:30").toInstant(),
                LocalDateTime.parse("2024-05-01T12:30:00").toInstant(ZoneOffset.UTC),
                LocalDateTime.parse("2024-05-01T12:30:00.25").toInstant(ZoneOffset.UTC),
                LocalDate.parse("2024-05-01").atStartOfDay(ZoneOffset.UTC).toInstant(),
                Instant.parse("2024-05-01T12:30:00.123456789Z"),
                Instant.parse("1969-07-20T20:17:40Z"),
                OffsetDateTime.parse("2024-05-01T12:30Z").toInstant());
        String[] lines = new String[texts.size() + 1];
        lines[0] = SCHEMA;
        for (int i = 0; i < texts.size(); i++) {
            lines[i + 1] = record("{\"id\":" + i + ",\"ts\":\"" + texts.get(i) + "\"}");
        }

        batches.lines(lines);

        assertThat(vector("ts")).isInstanceOf(TimeStampMicroTZVector.class);
        assertThat(values("ts")).containsExactlyElementsOf(expected.stream().map(BatchBuilderTest::micros).toList());
    }

    @Test
    void datesAreDaysSinceTheEpoch() {
        batches.lines(SCHEMA,
                record("{\"id\":1,\"day\":\"2024-05-01\"}"),
                record("{\"id\":2,\"day\":\"1969-12-31\"}"),
                record("{\"id\":3,\"day\":\"2024-02-29\"}"),
                record("{\"id\":4,\"day\":\"0001-01-01\"}"),
                record("{\"id\":5,\"day\":\"2024-05-01T23:30:00-05:00\"}"));

        assertThat(vector("day")).isInstanceOf(DateDayVector.class);
        assertThat(values("day")).containsExactly(
                (int) LocalDate.parse("2024-05-01").toEpochDay(),
                (int) LocalDate.parse("1969-12-31").toEpochDay(),
                (int) LocalDate.parse("2024-02-29").toEpochDay(),
                (int) LocalDate.parse("0001-01-01").toEpochDay(),
                (int) LocalDate.parse("2024-05-01").toEpochDay());
    }

    @Test
    void timesAreMicrosSinceMidnight() {
        List<String> texts = List.of("12:30:00", "00:00:00", "23:59:59.999999", "08:15:30.5", "08:15:30.1234567",
                "12:30");
        String[] lines = new String[texts.size() + 1];
        lines[0] = SCHEMA;
        for (int i = 0; i < texts.size(); i++) {
            lines[i + 1] = record("{\"id\":" + i + ",\"at\":\"" + texts.get(i) + "\"}");
        }

        batches.lines(lines);

        assertThat(vector("at")).isInstanceOf(TimeMicroVector.class);
        assertThat(values("at")).containsExactlyElementsOf(
                texts.stream().map(t -> (Object) (LocalTime.parse(t).toNanoOfDay() / 1000)).toList());
    }

    @Test
    void jsonColumnHoldsCompactJsonText() {
        batches.lines(SCHEMA,
                record("{\"id\":1,\"doc\":{ \"a\" : 1 , \"b\" : [ true , null ] , \"c\" : { \"d\" : \"é ß €\" } }}"),
                record("{\"id\":2,\"doc\":[ 1 , \"x\" , [ ] , { } ]}"),
                record("{\"id\":3,\"doc\":\"just text\"}"),
                record("{\"id\":4,\"doc\":42}"),
                record("{\"id\":5,\"doc\":null}"),
                record("{\"id\":6,\"doc\":\"esc \\\" \\n\"}"));

        assertThat(values("doc")).containsExactly(
                "{\"a\":1,\"b\":[true,null],\"c\":{\"d\":\"é ß €\"}}",
                "[1,\"x\",[],{}]",
                "\"just text\"",
                "42",
                null,
                "\"esc \\\" \\n\"");
        assertThat(vector("doc").getField().getMetadata())
                .containsEntry(StreamSchema.TYPE_METADATA_KEY, "json");
    }

    @Test
    void jsonColumnKeepsCharactersBeyondTheBmp() {
        String doc = "{\"d\":\"emoji 😀 and 𝄞\",\"e\":[\"\\ud83d\\ude00\"]}";
        batches.lines(SCHEMA, record("{\"id\":1,\"doc\":" + doc + "}"));

        assertThat(SingerScan.tree((String) values("doc").get(0))).isEqualTo(SingerScan.tree(doc));
    }

    @Test
    void jsonColumnWritesCharactersBeyondTheBmpAsUtf8() {
        batches.lines(SCHEMA, record("{\"id\":1,\"doc\":{\"d\":\"😀\"}}"));

        assertThat(values("doc")).containsExactly("{\"d\":\"😀\"}");
    }

    @Test
    void missingFieldsAreNullAndUnknownFieldsAreDropped() {
        batches.lines(SCHEMA,
                record("{\"id\":1}"),
                record("{\"id\":2,\"name\":\"b\",\"extra\":{\"deep\":[1,{\"x\":2}]},\"more\":\"x\"}"),
                record("{\"id\":3,\"name\":null,\"score\":null}"));

        VectorSchemaRoot root = batches.root("s");
        assertThat(root.getRowCount()).isEqualTo(3);
        assertThat(values("name")).containsExactly(null, "b", null);
        assertThat(values("score")).containsExactly(null, null, null);
        assertThat(root.getSchema().getFields()).extracting(f -> f.getName())
                .containsExactly("id", "n", "score", "active", "name", "ts", "day", "at", "doc", "either");
    }

    @Test
    void recordFieldsInUnusualOrderLoadTheSameValues() {
        batches.lines(SCHEMA,
                "{\"record\":{\"id\":5,\"n\":3.0,\"name\":\"é 😀\",\"ts\":\"2024-05-01T12:30:00.5Z\",\"doc\":{\"a\":[1]}},"
                        + "\"stream\":\"s\",\"type\":\"RECORD\"}",
                record("{\"id\":6,\"n\":3.0,\"name\":\"é 😀\",\"ts\":\"2024-05-01T12:30:00.5Z\",\"doc\":{\"a\":[1]}}"));

        assertThat(values("id")).containsExactly(5L, 6L);
        assertThat(values("n")).containsExactly(3L, 3L);
        assertThat(values("name")).containsExactly("é 😀", "é 😀");
        long ts = micros(Instant.parse("2024-05-01T12:30:00.5Z"));
        assertThat(values("ts")).containsExactly(ts, ts);
        assertThat(values("doc")).containsExactly("{\"a\":[1]}", "{\"a\":[1]}");
    }

    // --- integers -------------------------------------------------------------------------------

    @Test
    void wholeDecimalsAreAcceptedIntoIntegerColumns() {
        batches.lines(SCHEMA,
                record("{\"id\":1,\"n\":3.0}"),
                record("{\"id\":2,\"n\":-7.0}"),
                record("{\"id\":3,\"n\":1e2}"));

        assertThat(values("n")).containsExactly(3L, -7L, 100L);
    }

    @Test
    void fractionalDecimalIntoIntegerColumnFails() {
        String[] lines = {SCHEMA, record("{\"id\":1,\"n\":3.5}")};

        ProtocolException e = failure(lines);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA);
        assertThat(e.lineNumber()).isEqualTo(lines.length);
        assertThat(e.getMessage()).contains("field 'n'").contains("expected an integer, found a decimal number")
                .doesNotContain("3.5");
    }

    @Test
    void integerColumnGivenAStringFailsNamingStreamLineAndFieldButNotTheValue() {
        String[] lines = {SCHEMA, record("{\"id\":1,\"n\":1}"), record("{\"id\":2,\"n\":\"abc\"}")};

        ProtocolException e = failure(lines);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA);
        assertThat(e.stream()).contains(StreamName.of("s"));
        assertThat(e.lineNumber()).isEqualTo(lines.length);
        assertThat(e.getMessage()).startsWith("line " + lines.length + ": ")
                .contains("stream 's'").contains("field 'n'").contains("expected an integer, found a string")
                .doesNotContain("abc");
    }

    @Test
    void integersBeyondSixtyFourBitsFail() {
        String tooBig = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE).toString();
        String tooSmall = BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE).toString();
        for (String value : List.of(tooBig, tooSmall, "1e19")) {
            try (Batches fresh = new Batches(allocator)) {
                ProtocolException e = catchThrowableOfType(ProtocolException.class,
                        () -> fresh.lines(SCHEMA, record("{\"id\":1,\"n\":" + value + "}")));

                assertThat(e).as(value).isNotNull();
                assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA);
                assertThat(e.lineNumber()).isEqualTo(2);
                assertThat(e.getMessage()).contains("field 'n'").doesNotContain(value);
            }
        }
    }

    // --- other type mismatches ------------------------------------------------------------------

    @Test
    void valuesOfTheWrongJsonTypeFailNamingTheExpectedType() {
        Map<String, String> cases = Map.of(
                "{\"id\":1,\"score\":\"1.5\"}", "field 'score': expected a number, found a string",
                "{\"id\":1,\"active\":1}", "field 'active': expected a boolean, found an integer",
                "{\"id\":1,\"name\":{\"a\":1}}", "field 'name': expected a string, found an object",
                "{\"id\":1,\"either\":[1]}", "field 'either': expected a string, found an array",
                "{\"id\":1,\"ts\":1714566600}", "field 'ts': expected a date-time string, found an integer",
                "{\"id\":1,\"day\":true}", "field 'day': expected a date string, found a boolean",
                "{\"id\":1,\"at\":235667}", "field 'at': expected a time string, found an integer");
        cases.forEach((record, message) -> {
            try (Batches fresh = new Batches(allocator)) {
                ProtocolException e = catchThrowableOfType(ProtocolException.class,
                        () -> fresh.lines(SCHEMA, record(record)));

                assertThat(e).as(record).isNotNull();
                assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA);
                assertThat(e.getMessage()).as(record).isEqualTo("line 2: stream 's' " + message);
            }
        });
    }

    @Test
    void stringsThatAreNotValidDatesOrTimesFailWithoutEchoingThem() {
        Map<String, String> cases = Map.of(
                "{\"id\":1,\"ts\":\"not-a-date\"}", "field 'ts': string is not a valid date-time",
                "{\"id\":1,\"ts\":\"2023-02-30T00:00:00Z\"}", "field 'ts': string is not a valid date-time",
                "{\"id\":1,\"day\":\"2023-02-30\"}", "field 'day': string is not a valid date",
                "{\"id\":1,\"day\":\"May 1st\"}", "field 'day': string is not a valid date",
                "{\"id\":1,\"at\":\"25:00:00\"}", "field 'at': string is not a valid time");
        cases.forEach((record, message) -> {
            try (Batches fresh = new Batches(allocator)) {
                ProtocolException e = catchThrowableOfType(ProtocolException.class,
                        () -> fresh.lines(SCHEMA, record(record)));

                assertThat(e).as(record).isNotNull();
                assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA);
                assertThat(e.getMessage()).as(record).isEqualTo("line 2: stream 's' " + message);
            }
        });
    }

    @Test
    void timeWithTrailingTextFails() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> batches.lines(SCHEMA, record("{\"id\":1,\"at\":\"01:30:00 PM\"}")));

        assertThat(e).as("'01:30:00 PM' should not load as 01:30").isNotNull();
        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BREAKS_SCHEMA);
    }

    // --- keys -----------------------------------------------------------------------------------

    @Test
    void recordMissingAKeyPropertyFails() {
        String[] lines = {SCHEMA, record("{\"id\":1}"), record("{\"name\":\"no key\"}")};

        ProtocolException e = failure(lines);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_MISSING_KEY);
        assertThat(e.stream()).contains(StreamName.of("s"));
        assertThat(e.lineNumber()).isEqualTo(lines.length);
        assertThat(e.getMessage()).startsWith("line " + lines.length + ": ").contains("key property 'id'")
                .doesNotContain("no key");
        assertThat(batches.builder("s").rowCount()).isEqualTo(1);
    }

    @Test
    void recordWithANullKeyPropertyFails() {
        ProtocolException e = failure(SCHEMA, record("{\"id\":null,\"name\":\"x\"}"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_MISSING_KEY);
        assertThat(e.lineNumber()).isEqualTo(2);
    }

    @Test
    void everyKeyOfACompositeKeyIsRequired() {
        String composite = schema("c", "[\"a\",\"b\"]", "\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}");

        ProtocolException e = failure(composite, "{\"type\":\"RECORD\",\"stream\":\"c\",\"record\":{\"a\":1,\"b\":\"x\"}}",
                "{\"type\":\"RECORD\",\"stream\":\"c\",\"record\":{\"a\":2}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_MISSING_KEY);
        assertThat(e.lineNumber()).isEqualTo(3);
        assertThat(e.getMessage()).contains("key property 'b'");
    }

    @Test
    void recordMissingItsKeyAtVectorCapacityFailsAsMissingKey() {
        int capacity;
        try (BatchBuilder probe = new BatchBuilder(JsonSchemaToArrow.convert(schemaMessage(SCHEMA), 1), allocator)) {
            capacity = probe.root().getVector("id").getValueCapacity();
        }
        String[] lines = new String[capacity + 2];
        lines[0] = SCHEMA;
        for (int i = 0; i < capacity; i++) {
            lines[i + 1] = record("{\"id\":" + i + "}");
        }
        lines[capacity + 1] = record("{\"name\":\"no key\"}");

        Throwable e = catchThrowable(() -> batches.lines(lines));

        assertThat(e).isInstanceOf(ProtocolException.class);
        assertThat(((ProtocolException) e).errorCode()).isEqualTo(ErrorCode.RECORD_MISSING_KEY);
        assertThat(((ProtocolException) e).lineNumber()).isEqualTo(lines.length);
    }

    // --- batches --------------------------------------------------------------------------------

    @Test
    void clearStartsAnEmptyBatchThatCanBeFilledAgain() {
        batches.lines(SCHEMA,
                record("{\"id\":1,\"name\":\"a\",\"score\":1.5,\"doc\":{\"x\":1}}"),
                record("{\"id\":2,\"name\":\"b\",\"score\":2.5,\"doc\":[2]}"),
                record("{\"id\":3,\"name\":\"c\",\"score\":3.5}"));
        BatchBuilder builder = batches.builder("s");
        assertThat(builder.rowCount()).isEqualTo(3);
        assertThat(builder.bufferedBytes()).isPositive();

        builder.clear();

        assertThat(builder.rowCount()).isZero();
        assertThat(builder.bufferedBytes()).isZero();
        assertThat(builder.root().getRowCount()).isZero();

        batches.lines(record("{\"id\":10}"), record("{\"id\":11,\"name\":\"z\"}"));

        assertThat(builder.rowCount()).isEqualTo(2);
        assertThat(values("id")).containsExactly(10L, 11L);
        assertThat(values("name")).containsExactly(null, "z");
        assertThat(values("score")).containsExactly(null, null);
        assertThat(values("doc")).containsExactly(null, null);
    }

    @Test
    void manyRowsGrowTheVectors() {
        int rows = 10_000;
        String[] lines = new String[rows + 1];
        lines[0] = SCHEMA;
        for (int i = 0; i < rows; i++) {
            lines[i + 1] = record("{\"id\":" + i + ",\"name\":\"name-" + i + "\",\"score\":" + i + ".5}");
        }

        batches.lines(lines);

        VectorSchemaRoot root = batches.root("s");
        assertThat(root.getRowCount()).isEqualTo(rows);
        BigIntVector ids = (BigIntVector) root.getVector("id");
        VarCharVector names = (VarCharVector) root.getVector("name");
        Float8Vector scores = (Float8Vector) root.getVector("score");
        for (int i = 0; i < rows; i++) {
            assertThat(ids.get(i)).isEqualTo(i);
            assertThat(new String(names.get(i), StandardCharsets.UTF_8)).isEqualTo("name-" + i);
            assertThat(scores.get(i)).isEqualTo(i + 0.5);
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    private static String schema(String stream, String keys, String properties) {
        return "{\"type\":\"SCHEMA\",\"stream\":\"" + stream + "\",\"key_properties\":" + keys
                + ",\"schema\":{\"type\":\"object\",\"properties\":{" + properties + "}}}";
    }

    private static String record(String json) {
        return "{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":" + json + "}";
    }

    private static SchemaMessage schemaMessage(String line) {
        return (SchemaMessage) new SingerLineParser()
                .readAll(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8))).get(0);
    }

    private ProtocolException failure(String... lines) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> batches.lines(lines));
        assertThat(e).as("expected a ProtocolException").isNotNull();
        return e;
    }

    private FieldVector vector(String column) {
        return batches.root("s").getVector(column);
    }

    /** The column's values as Java objects: Long, Double, Boolean, Integer (days), String; null for null. */
    private List<Object> values(String column) {
        FieldVector v = vector(column);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < batches.root("s").getRowCount(); i++) {
            if (v.isNull(i)) {
                out.add(null);
            } else if (v instanceof VarCharVector s) {
                out.add(new String(s.get(i), StandardCharsets.UTF_8));
            } else {
                out.add(v.getObject(i));
            }
        }
        return out;
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
