package io.tapline.internal.protocol.singer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SingerLineParserTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String USERS_SCHEMA = "{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":{\"type\":\"object\","
            + "\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}},\"key_properties\":[\"id\"]}";
    private static final String USERS_RECORD = "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1,\"name\":\"Ada\"}}";
    private static final String STATE = "{\"type\":\"STATE\",\"value\":{\"bookmarks\":{\"users\":{\"id\":1}}}}";

    // --- errors -------------------------------------------------------------------------------

    @Test
    void invalidJsonLineFailsNamingTheLine() {
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA, "{\"type\":\"STATE\",\"value\":{\"a\":1}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("line 2: ").contains("invalid JSON");
        assertThat(e.getCause()).isNull(); // Jackson's message quotes the offending token, which may be record data
    }

    @Test
    void plainTextLineFailsAsInvalidJson() {
        ProtocolException e = failure(new SingerLineParser(), STATE, STATE, "this is not json at all");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(3);
        assertThat(e.getMessage()).startsWith("line 3: ").contains("invalid JSON");
    }

    @Test
    void invalidJsonInsideARecordPayloadFailsNamingTheLine() {
        // the payload is read lazily by the handler; its syntax error must still become INVALID_JSON
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA,
                "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1,}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("line 2: ").contains("invalid JSON");
    }

    @Test
    void invalidJsonMessageDoesNotEchoTheRecordText() {
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA,
                "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1,\"name\":\"secret-name\" \"x\"}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.getMessage()).doesNotContain("secret-name");
    }

    @Test
    void invalidJsonMessageDoesNotEchoAnUnquotedToken() {
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA,
                "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1,\"password\":hunter2}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void invalidJsonBeforeTheStreamFieldNamesNoStream() {
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA, "{\"type\": oops}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.stream()).isEmpty();
    }

    @Test
    void messageWithoutTypeFails() {
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA,
                "{\"stream\":\"users\",\"record\":{\"id\":1}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.MESSAGE_WITHOUT_TYPE);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.stream()).contains(StreamName.of("users"));
        assertThat(e.getMessage()).isEqualTo("line 2: message has no \"type\"");
    }

    @Test
    void messageWhoseTypeIsNotAStringFailsAsWithoutType() {
        ProtocolException e = failure(new SingerLineParser(), "{\"type\":7,\"value\":{}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.MESSAGE_WITHOUT_TYPE);
        assertThat(e.lineNumber()).isEqualTo(1);
    }

    @Test
    void recordBeforeSchemaFailsNamingStreamAndLine() {
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA, USERS_RECORD,
                "{\"type\":\"RECORD\",\"stream\":\"orders\",\"record\":{\"id\":1}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BEFORE_SCHEMA);
        assertThat(e.lineNumber()).isEqualTo(3);
        assertThat(e.stream()).contains(StreamName.of("orders"));
        assertThat(e.getMessage()).isEqualTo("line 3: RECORD for stream 'orders' arrived before its SCHEMA");
    }

    @Test
    void recordBeforeSchemaIsCaughtWhenTheRecordComesBeforeTypeAndStream() {
        ProtocolException e = failure(new SingerLineParser(),
                "{\"record\":{\"id\":1},\"stream\":\"orders\",\"type\":\"RECORD\"}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_BEFORE_SCHEMA);
        assertThat(e.lineNumber()).isEqualTo(1);
        assertThat(e.stream()).contains(StreamName.of("orders"));
    }

    @Test
    void jsonArrayLineFailsNamingWhatWasFound() {
        ProtocolException e = failure(new SingerLineParser(), STATE, "[{\"type\":\"STATE\",\"value\":{}}]");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).isEqualTo("line 2: expected a JSON object per line, found a JSON array");
    }

    @Test
    void jsonStringLineFailsNamingWhatWasFound() {
        ProtocolException e = failure(new SingerLineParser(), "\"STATE\"");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.getMessage()).isEqualTo("line 1: expected a JSON object per line, found a JSON string");
    }

    @Test
    void twoObjectsOnOneLineFail() {
        ProtocolException e = failure(new SingerLineParser(), STATE + " " + STATE);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(1);
        assertThat(e.getMessage()).contains("more than one JSON value");
    }

    @Test
    void lineLongerThanTheLimitFailsNamingTheLimit() {
        String longState = "{\"type\":\"STATE\",\"value\":{\"k\":\"" + "x".repeat(100) + "\"}}";

        ProtocolException e = failure(new SingerLineParser(64), "{\"type\":\"STATE\",\"value\":{}}", longState);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        assertThat(e.getMessage()).contains("longer than the limit of 64 bytes");
    }

    @Test
    void lineLongerThanTheLimitAndTheReadBufferNamesTheOffendingLine() {
        int limit = 2000; // larger than the reader's first buffer, so the line spans several reads
        String longState = "{\"type\":\"STATE\",\"value\":{\"k\":\"" + "x".repeat(3 * limit) + "\"}}";

        ProtocolException e = failure(new SingerLineParser(limit), STATE, longState);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("line 2: ");
    }

    @Test
    void lineLongerThanTheLimitNamesTheOffendingLine() {
        String longState = "{\"type\":\"STATE\",\"value\":{\"k\":\"" + "x".repeat(100) + "\"}}";

        ProtocolException e = failure(new SingerLineParser(64), "{\"type\":\"STATE\",\"value\":{}}", longState);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith("line 2: ");
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() {
        String state = "{\"type\":\"STATE\",\"value\":{\"k\":\"" + "x".repeat(40) + "\"}}";
        int limit = state.getBytes(StandardCharsets.UTF_8).length;

        List<SingerMessage> messages = new SingerLineParser(limit).readAll(input(state, state));

        assertThat(messages).hasSize(2);
    }

    @Test
    void lineOfExactlyTheLimitIsAcceptedWithCrlfWhateverTheReadSizes() {
        int limit = 2000;
        String prefix = "{\"type\":\"STATE\",\"value\":{\"k\":\"";
        String suffix = "\"}}";
        String state = prefix + "x".repeat(limit - prefix.length() - suffix.length()) + suffix;
        assertThat(state.getBytes(StandardCharsets.UTF_8)).hasSize(limit);
        byte[] bytes = (state + "\r\n" + state + "\r\n").getBytes(StandardCharsets.UTF_8);

        List<SingerMessage> messages = new SingerLineParser(limit).readAll(new OneByteAtATime(bytes));

        assertThat(messages).hasSize(2);
    }

    @Test
    void schemaWithoutSchemaFieldIsAnInvalidMessageNamingTheStream() {
        ProtocolException e = failure(new SingerLineParser(), "{\"type\":\"SCHEMA\",\"stream\":\"users\"}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.stream()).contains(StreamName.of("users"));
        assertThat(e.getMessage()).isEqualTo("line 1: SCHEMA message has no \"schema\"");
    }

    @Test
    void recordWithoutStreamIsAnInvalidMessage() {
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA, "{\"type\":\"RECORD\",\"record\":{\"id\":1}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).contains("RECORD message has no \"stream\"");
    }

    @Test
    void recordWhosePayloadIsNotAnObjectIsAnInvalidMessage() {
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA,
                "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":[1,2]}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.stream()).contains(StreamName.of("users"));
        assertThat(e.getMessage()).contains("\"record\" is not a JSON object");
    }

    @Test
    void keyPropertiesThatAreNotAnArrayAreAnInvalidMessage() {
        ProtocolException e = failure(new SingerLineParser(),
                "{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":{\"properties\":{}},\"key_properties\":\"id\"}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.getMessage()).contains("\"key_properties\" is not an array of strings");
    }

    @Test
    void activateVersionWithoutVersionIsAnInvalidMessage() {
        ProtocolException e = failure(new SingerLineParser(), "{\"type\":\"ACTIVATE_VERSION\",\"stream\":\"users\"}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.stream()).contains(StreamName.of("users"));
        assertThat(e.getMessage()).contains("ACTIVATE_VERSION has no numeric \"version\"");
    }

    @Test
    void batchWithoutFormatIsAnInvalidMessage() {
        ProtocolException e = failure(new SingerLineParser(),
                "{\"type\":\"BATCH\",\"stream\":\"users\",\"encoding\":{},\"manifest\":[\"file:///tmp/a.jsonl\"]}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.getMessage()).contains("BATCH needs encoding.format and a manifest array");
    }

    // --- lines ------------------------------------------------------------------------------------

    @Test
    void unknownMessageTypesAreSkippedAndParsingContinues() {
        List<SingerMessage> messages = readAll(USERS_SCHEMA,
                "{\"type\":\"LOG\",\"message\":\"hello\"}",
                "{\"type\":\"SOMETHING_NEW\",\"stream\":\"users\",\"payload\":[1,{\"a\":2}]}",
                "{\"type\":\"LOG\",\"message\":\"again\"}",
                USERS_RECORD);

        assertThat(messages).hasSize(2);
        assertThat(messages.get(0)).isInstanceOf(SchemaMessage.class);
        assertThat(messages.get(1)).isInstanceOf(RecordMessage.class);
    }

    @Test
    void blankLinesAreSkippedButCounted() {
        Recorder recorder = new Recorder();
        SingerLineParser parser = new SingerLineParser();

        parser.parse(input("", USERS_SCHEMA, "   ", "\t", USERS_RECORD, "", STATE), recorder);

        assertThat(recorder.events).containsExactly("schema users @2", "record users @5", "state @7");
        assertThat(parser.linesRead()).isEqualTo(7);
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        Recorder recorder = new Recorder();
        String text = String.join("\r\n", USERS_SCHEMA, USERS_RECORD, "", STATE) + "\r\n";

        new SingerLineParser().parse(bytes(text), recorder);

        assertThat(recorder.events).containsExactly("schema users @1", "record users @2", "state @4");
        assertThat(recorder.records).containsExactly("{\"id\":1,\"name\":\"Ada\"}");
    }

    @Test
    void lastLineWithoutNewlineIsParsed() {
        List<SingerMessage> messages = new SingerLineParser().readAll(bytes(USERS_SCHEMA + "\n" + USERS_RECORD));

        assertThat(messages).hasSize(2);
        assertThat(((RecordMessage) messages.get(1)).record().get("name").asText()).isEqualTo("Ada");
    }

    @Test
    void linesAndBytesReadCoverTheWholeInput() {
        String text = String.join("\n", USERS_SCHEMA, USERS_RECORD, STATE) + "\n";
        SingerLineParser parser = new SingerLineParser();

        parser.parse(bytes(text), new Recorder());

        assertThat(parser.linesRead()).isEqualTo(3);
        assertThat(parser.bytesRead()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"record\":{\"id\":7,\"name\":\"Grace\"},\"stream\":\"users\",\"type\":\"RECORD\"}",
        "{\"stream\":\"users\",\"record\":{\"id\":7,\"name\":\"Grace\"},\"type\":\"RECORD\"}",
        "{\"type\":\"RECORD\",\"record\":{\"id\":7,\"name\":\"Grace\"},\"stream\":\"users\"}",
        "{\"time_extracted\":\"2024-01-01T00:00:00Z\",\"record\":{\"id\":7,\"name\":\"Grace\"},\"version\":3,"
                + "\"type\":\"RECORD\",\"stream\":\"users\"}"
    })
    void recordFieldsInAnyOrderAreParsed(String line) {
        List<SingerMessage> messages = readAll(USERS_SCHEMA, line);

        assertThat(messages).hasSize(2);
        RecordMessage record = (RecordMessage) messages.get(1);
        assertThat(record.stream()).isEqualTo(StreamName.of("users"));
        assertThat(record.record()).isEqualTo(tree("{\"id\":7,\"name\":\"Grace\"}"));
    }

    @Test
    void recordIsHandedOverOnItsStartObjectWithStreamAndLine() {
        Recorder recorder = new Recorder();

        new SingerLineParser().parse(input(USERS_SCHEMA,
                "{\"type\":\"RECORD\",\"stream\":\"users\",\"record\":{\"id\":1,\"tags\":[\"a\",{\"b\":null}]},\"version\":2}",
                "{\"record\":{\"id\":2},\"type\":\"RECORD\",\"stream\":\"users\"}"), recorder);

        assertThat(recorder.events).containsExactly("schema users @1", "record users @2", "record users @3");
        assertThat(recorder.records).containsExactly("{\"id\":1,\"tags\":[\"a\",{\"b\":null}]}", "{\"id\":2}");
    }

    @Test
    void recordsOfTheSameStreamShareOneStreamName() {
        Recorder recorder = new Recorder();

        new SingerLineParser().parse(input(USERS_SCHEMA, USERS_RECORD, USERS_RECORD), recorder);

        assertThat(recorder.streams).hasSize(2);
        assertThat(recorder.streams.get(0)).isSameAs(recorder.streams.get(1));
    }

    // --- message contents -------------------------------------------------------------------------

    @Test
    void stateValueIsKeptAsCompactJson() {
        List<SingerMessage> messages = readAll(
                "{ \"type\" : \"STATE\", \"value\" : { \"bookmarks\" : { \"users\" : { \"id\" : 5 , "
                        + "\"since\" : \"2024-01-01T00:00:00Z\" } } , \"list\" : [ 1 , 2.5 , null , true , \"é 😀\" ] } }");

        assertThat(messages).containsExactly(new StateMessage(new StateBlob(
                "{\"bookmarks\":{\"users\":{\"id\":5,\"since\":\"2024-01-01T00:00:00Z\"}},"
                        + "\"list\":[1,2.5,null,true,\"é 😀\"]}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"not json\"", "42", "[1]", "null", "true"})
    void stateWhoseValueIsNotAnObjectIsAnInvalidMessageThatDoesNotEchoIt(String value) {
        ProtocolException e = failure(new SingerLineParser(), "{\"type\":\"STATE\",\"value\":" + value + "}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.getMessage()).contains("line 1").contains("STATE \"value\" is not a JSON object")
                .doesNotContain("not json");
    }

    @Test
    void stateWithoutValueIsAnInvalidMessage() {
        ProtocolException e = failure(new SingerLineParser(), "{\"type\":\"STATE\"}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.getMessage()).contains("STATE message has no \"value\"");
    }

    @Test
    void schemaCarriesSchemaKeyAndBookmarkProperties() {
        String schema = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
                + "\"tenant\":{\"type\":\"string\"},\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}}";

        List<SingerMessage> messages = readAll("{\"type\":\"SCHEMA\",\"stream\":\"users\",\"schema\":" + schema
                + ",\"key_properties\":[\"id\",\"tenant\"],\"bookmark_properties\":[\"updated_at\"]}");

        SchemaMessage message = (SchemaMessage) messages.get(0);
        assertThat(message.stream()).isEqualTo(StreamName.of("users"));
        assertThat(message.schema().node()).isEqualTo(tree(schema));
        assertThat(message.keyProperties()).containsExactly("id", "tenant");
        assertThat(message.bookmarkProperties()).containsExactly("updated_at");
    }

    @Test
    void schemaWithoutOrWithNullKeyPropertiesHasNone() {
        List<SingerMessage> messages = readAll(
                "{\"type\":\"SCHEMA\",\"stream\":\"a\",\"schema\":{\"properties\":{}}}",
                "{\"type\":\"SCHEMA\",\"stream\":\"b\",\"schema\":{\"properties\":{}},\"key_properties\":null,"
                        + "\"bookmark_properties\":null}");

        assertThat(messages).hasSize(2).allSatisfy(m -> {
            assertThat(((SchemaMessage) m).keyProperties()).isEmpty();
            assertThat(((SchemaMessage) m).bookmarkProperties()).isEmpty();
        });
    }

    @Test
    void activateVersionCarriesStreamAndVersion() {
        List<SingerMessage> messages = readAll("{\"type\":\"ACTIVATE_VERSION\",\"stream\":\"users\",\"version\":1700000000123}");

        assertThat(messages).containsExactly(new ActivateVersionMessage(StreamName.of("users"), 1700000000123L));
    }

    @Test
    void batchCarriesFormatCompressionAndManifest() {
        List<SingerMessage> messages = readAll(
                "{\"type\":\"BATCH\",\"stream\":\"users\",\"encoding\":{\"format\":\"jsonl\",\"compression\":\"gzip\"},"
                        + "\"manifest\":[\"file:///tmp/users-1.jsonl.gz\",\"file:///tmp/users-2.jsonl.gz\"]}",
                "{\"type\":\"BATCH\",\"stream\":\"users\",\"encoding\":{\"format\":\"parquet\"},\"manifest\":[]}");

        assertThat(messages).containsExactly(
                new BatchMessage(StreamName.of("users"), "jsonl", Optional.of("gzip"),
                        List.of(URI.create("file:///tmp/users-1.jsonl.gz"), URI.create("file:///tmp/users-2.jsonl.gz"))),
                new BatchMessage(StreamName.of("users"), "parquet", Optional.empty(), List.of()));
    }

    @Test
    void numberBeyondBigDecimalRangeFailsAsInvalidJsonWithoutQuotingIt() {
        // found by fuzzing: an exponent past BigDecimal's range in a message read as a tree
        ProtocolException e = failure(new SingerLineParser(), USERS_SCHEMA,
                "{\"record\":{\"id\":999999999E99999999999},\"type\":\"RECORD\",\"stream\":\"users\"}");
        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.getMessage()).contains("line 2").doesNotContain("99999");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static List<SingerMessage> readAll(String... lines) {
        return new SingerLineParser().readAll(input(lines));
    }

    private static ProtocolException failure(SingerLineParser parser, String... lines) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> parser.readAll(input(lines)));
        assertThat(e).as("expected a ProtocolException").isNotNull();
        return e;
    }

    private static InputStream input(String... lines) {
        return bytes(String.join("\n", lines) + "\n");
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes down what the parser hands over; consumes each record through its END_OBJECT. */
    private static final class Recorder implements SingerLineParser.Handler {
        final List<String> events = new ArrayList<>();
        final List<String> records = new ArrayList<>();
        final List<StreamName> streams = new ArrayList<>();

        @Override
        public void schema(SchemaMessage message, long lineNumber) {
            events.add("schema " + message.stream() + " @" + lineNumber);
        }

        @Override
        public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
            assertThat(record.currentToken()).isEqualTo(JsonToken.START_OBJECT);
            events.add("record " + stream + " @" + lineNumber);
            streams.add(stream);
            StringWriter json = new StringWriter();
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(json)) {
                g.copyCurrentStructure(record);
            }
            records.add(json.toString());
            assertThat(record.currentToken()).isEqualTo(JsonToken.END_OBJECT);
        }

        @Override
        public void state(StateMessage message, long lineNumber) {
            events.add("state @" + lineNumber);
        }
    }

    /** A stream that hands out one byte per read, like a slow pipe. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int next;

        OneByteAtATime(byte[] bytes) { this.bytes = bytes; }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }
}
