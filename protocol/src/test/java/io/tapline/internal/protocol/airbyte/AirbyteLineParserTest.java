package io.tapline.internal.protocol.airbyte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.airbyte.AirbyteConnectionStatusMessage.Status;
import io.tapline.internal.protocol.airbyte.AirbyteLogMessage.Level;
import io.tapline.internal.protocol.airbyte.AirbyteStateMessage.StateType;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.ErrorTrace;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.EstimateTrace;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.EstimateType;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.OtherTrace;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.StreamStatus;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.StreamStatusTrace;
import io.tapline.internal.protocol.airbyte.RecordingHandler.NonProtocol;
import io.tapline.internal.protocol.airbyte.RecordingHandler.Record;
import io.tapline.internal.protocol.arrow.BatchBuilder;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.spi.StreamSchema;
import io.tapline.internal.protocol.singer.JsonSchema;
import io.tapline.internal.protocol.singer.SchemaMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AirbyteLineParserTest {

    private static final String USERS_RECORD = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\","
            + "\"data\":{\"id\":1,\"name\":\"Ada\"},\"emitted_at\":1700000000000}}";
    private static final String STREAM_STATE = "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":"
            + "{\"stream_descriptor\":{\"name\":\"users\"},\"stream_state\":{\"updated_at\":\"2024-01-01\"}}}}";

    // --- RECORD -----------------------------------------------------------------------------------

    @Test
    void recordDataReachesTheHandlerAsAParserOnTheDataObject() {
        List<String> seen = new ArrayList<>();
        AirbyteLineParser.Handler handler = new RecordingHandler() {
            @Override
            public void record(StreamName stream, Optional<String> namespace, JsonParser data, long lineNumber)
                    throws IOException {
                seen.add(stream + "@" + lineNumber + ":" + data.currentToken());
                int depth = 0;
                do { // the handler reads the tokens itself, through the data object's END_OBJECT
                    JsonToken t = data.currentToken();
                    depth += t == JsonToken.START_OBJECT ? 1 : t == JsonToken.END_OBJECT ? -1 : 0;
                    if (t == JsonToken.FIELD_NAME) {
                        seen.add(data.currentName());
                    }
                } while (depth > 0 && data.nextToken() != null);
            }
        };
        new AirbyteLineParser().parse(input(USERS_RECORD, STREAM_STATE), handler);

        assertThat(seen).containsExactly("users@1:START_OBJECT", "id", "name");
        assertThat(((RecordingHandler) handler).messages()).singleElement().isInstanceOf(AirbyteStateMessage.class);
    }

    @Test
    void recordCarriesItsNamespace() {
        RecordingHandler h = parse(new AirbyteLineParser(), "{\"type\":\"RECORD\",\"record\":{\"namespace\":\"public\","
                + "\"stream\":\"users\",\"data\":{\"id\":1},\"emitted_at\":1}}",
                "{\"type\":\"RECORD\",\"record\":{\"namespace\":null,\"stream\":\"users\",\"data\":{\"id\":2},\"emitted_at\":1}}");

        assertThat(h.messages(Record.class)).extracting(Record::namespace)
                .containsExactly(Optional.of("public"), Optional.empty());
    }

    @Test
    void recordFieldsInAnyOrderStillReachTheHandler() {
        RecordingHandler h = parse(new AirbyteLineParser(),
                // data before stream
                "{\"type\":\"RECORD\",\"record\":{\"data\":{\"id\":1},\"emitted_at\":1,\"stream\":\"users\"}}",
                // type after record
                "{\"record\":{\"stream\":\"users\",\"data\":{\"id\":2},\"emitted_at\":1},\"type\":\"RECORD\"}",
                // namespace after data
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":3},\"namespace\":\"public\"}}");

        assertThat(h.messages(Record.class)).extracting(r -> r.data().get("id").asInt()).containsExactly(1, 2, 3);
        assertThat(h.messages(Record.class)).extracting(Record::stream).containsOnly(StreamName.of("users"));
        assertThat(h.lines()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void recordWithItsNamespaceAfterItsDataIsMatchedOnTheFullDescriptor() {
        AirbyteLineParser parser = new AirbyteLineParser(Set.of(StreamDescriptor.of("public", "users")));

        RecordingHandler h = parse(parser,
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":3},\"namespace\":\"public\"}}");

        assertThat(h.only(Record.class).namespace()).contains("public");
    }

    @Test
    void recordForAStreamOutsideTheConfiguredCatalogFailsNamingStreamAndLine() {
        AirbyteLineParser parser = new AirbyteLineParser(Set.of(StreamDescriptor.of("users")));

        ProtocolException e = failure(parser, USERS_RECORD, USERS_RECORD,
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"purchases\",\"data\":{\"id\":1},\"emitted_at\":1}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_FOR_UNCONFIGURED_STREAM);
        assertThat(e.lineNumber()).isEqualTo(3);
        assertThat(e.stream()).contains(StreamName.of("purchases"));
        assertThat(e.getMessage()).startsWith("line 3: ").contains("'purchases'");
    }

    @Test
    void recordInAnotherNamespaceThanTheConfiguredStreamFails() {
        AirbyteLineParser parser = new AirbyteLineParser(Set.of(StreamDescriptor.of("public", "users")));

        ProtocolException e = failure(parser,
                "{\"type\":\"RECORD\",\"record\":{\"namespace\":\"public\",\"stream\":\"users\",\"data\":{},\"emitted_at\":1}}",
                "{\"type\":\"RECORD\",\"record\":{\"namespace\":\"audit\",\"stream\":\"users\",\"data\":{},\"emitted_at\":1}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_FOR_UNCONFIGURED_STREAM);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).contains("'audit.users'");
    }

    @Test
    void anEmptyConfiguredSetAllowsEveryStream() {
        RecordingHandler h = parse(new AirbyteLineParser(Set.of()), USERS_RECORD,
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"anything\",\"data\":{},\"emitted_at\":1}}");

        assertThat(h.messages(Record.class)).extracting(r -> r.stream().value()).containsExactly("users", "anything");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"RECORD\"}",
        "{\"type\":\"RECORD\",\"record\":{\"data\":{\"id\":1},\"emitted_at\":1}}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"emitted_at\":1}}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":[1,2]}}",
        "{\"type\":\"RECORD\",\"record\":[]}"
    })
    void recordWithoutStreamOrDataObjectIsAnInvalidMessage(String line) {
        ProtocolException e = failure(new AirbyteLineParser(), USERS_RECORD, line);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.lineNumber()).isEqualTo(2);
    }

    @Test
    void brokenJsonInsideRecordDataFailsWithoutQuotingTheData() {
        ProtocolException e = failure(new AirbyteLineParser(), USERS_RECORD,
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"password\":hunter2}}}");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.stream()).contains(StreamName.of("users"));
        assertThat(e.getMessage()).doesNotContain("hunter2");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void recordLineCutShortAfterItsDataFailsBecauseTheRowIsAlreadyLoaded() {
        ProtocolException e = failure(new AirbyteLineParser(),
                "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":1},\"emitted_at\":17");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":1,\"name\":\"A",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":1,\"tags\":{\"a\":1}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":1}}",
        "{\"record\":{\"stream\":\"users\",\"data\":{\"id\":1}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"users\",\"data\":{\"id\":1}}} and text"
    })
    void recordLineCutShortOrFollowedByTextFailsInsteadOfLosingTheRecord(String line) {
        ProtocolException e = failure(new AirbyteLineParser(), USERS_RECORD, line, USERS_RECORD);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).doesNotContain("\"A");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"id\":1,\"attrs\":{\"x\":{\"y\":1}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"id\":1,\"arr\":[{\"y\":1}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"attrs\":{\"y\":1}",
        "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"id\":1,\"attrs\":{}"
    })
    void recordLineCutJustAfterANestedObjectFailsAsCutInTheArrowPath(String line) throws IOException {
        StreamSchema schema = JsonSchemaToArrow.convert(new SchemaMessage(StreamName.of("s"), new JsonSchema(
                ConfiguredCatalogBuilderTest.tree("{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
                        + "\"attrs\":{\"type\":\"object\"},\"arr\":{\"type\":\"array\"}}}")), List.of("id"), List.of()), 0);
        try (BufferAllocator allocator = new RootAllocator(); BatchBuilder batch = new BatchBuilder(schema, allocator)) {
            AirbyteLineParser.Handler handler = new RecordingHandler() {
                @Override
                public void record(StreamName stream, Optional<String> namespace, JsonParser data, long lineNumber)
                        throws IOException {
                    batch.append(data, lineNumber);
                }
            };

            ProtocolException e = catchThrowableOfType(ProtocolException.class,
                    () -> new AirbyteLineParser().parse(input(line), handler));

            assertThat(e).isNotNull();
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
            assertThat(e.getMessage()).isEqualTo("line 1: the line ends inside a RECORD");
        }
    }

    @Test
    void messagesAfterABrokenLineAreReadWithTheirExactText() {
        String state = "{\"type\": \"STREAM\", \"stream\": {\"stream_descriptor\": {\"name\": \"users\"}, "
                + "\"stream_state\": {\"cursor\": 2.50}}}";

        RecordingHandler h = parse(new AirbyteLineParser(), USERS_RECORD, "{broken json line}", USERS_RECORD,
                "{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"cut", USERS_RECORD,
                "  {\"type\":\"STATE\",\"state\":" + state + "}  ");

        assertThat(h.nonProtocol).extracting(NonProtocol::line).containsExactly(2L, 4L);
        assertThat(h.messages(Record.class)).hasSize(3);
        assertThat(h.only(AirbyteStateMessage.class).json()).isEqualTo(state);
    }

    @Test
    void secondJsonValueOnARecordLineFails() {
        ProtocolException e = failure(new AirbyteLineParser(), USERS_RECORD + USERS_RECORD);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(e.getMessage()).contains("more than one JSON value");
    }

    @Test
    void readAllMaterialisesRecords() {
        List<AirbyteMessage> all = new AirbyteLineParser().readAll(input(USERS_RECORD));

        assertThat(all).singleElement().isInstanceOfSatisfying(AirbyteRecordMessage.class, r -> {
            assertThat(r.stream()).isEqualTo(StreamName.of("users"));
            assertThat(r.data().get("name").asText()).isEqualTo("Ada");
            assertThat(r.toString()).doesNotContain("Ada");
        });
    }

    @Test
    void exactDecimalsSurviveTheDeferredRecordPath() {
        RecordingHandler h = parse(new AirbyteLineParser(),
                "{\"record\":{\"stream\":\"prices\",\"data\":{\"amount\":1.50,\"big\":12345678901234567890.123}},"
                        + "\"type\":\"RECORD\"}");

        JsonNode data = h.only(Record.class).data();
        assertThat(data.get("amount").decimalValue()).isEqualByComparingTo("1.50");
        assertThat(data.get("amount").decimalValue().scale()).isEqualTo(2);
        assertThat(data.get("big").decimalValue().toPlainString()).isEqualTo("12345678901234567890.123");
    }

    // --- lines that are not messages --------------------------------------------------------------

    @Test
    void linesThatAreNotMessagesGoToTheHandlerAndTheRunGoesOn() {
        RecordingHandler h = parse(new AirbyteLineParser(),
                "Starting source-faker",
                USERS_RECORD,
                "[1, 2, 3]",
                "42",
                "\"just a string\"",
                "{\"level\":\"INFO\",\"message\":\"a JSON log line without type\"}",
                "{\"type\":7}",
                "{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"cut off",
                "{not json}",
                "{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"x\"}} trailing text",
                STREAM_STATE);

        assertThat(h.nonProtocol).extracting(NonProtocol::line).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(h.nonProtocol.get(0).text()).isEqualTo("Starting source-faker");
        assertThat(h.nonProtocol.get(6).text()).isEqualTo("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"cut off");
        assertThat(h.lines()).containsExactly(2L, 11L);
        assertThat(h.messages().get(1)).isInstanceOf(AirbyteStateMessage.class);
    }

    @Test
    void nonProtocolLinesAreCountedAndBlankLinesSkipped() {
        AirbyteLineParser parser = new AirbyteLineParser();
        RecordingHandler h = new RecordingHandler();

        parser.parse(bytes("hello\n\n   \n\t\n" + USERS_RECORD + "\nbye"), h);

        assertThat(h.nonProtocol).extracting(NonProtocol::line).containsExactly(1L, 6L);
        assertThat(parser.nonProtocolLines()).isEqualTo(2);
        assertThat(parser.linesRead()).isEqualTo(6);
        assertThat(parser.bytesRead()).isEqualTo(("hello\n\n   \n\t\n" + USERS_RECORD + "\nbye").length());
    }

    @Test
    void nonProtocolLineIsCutToAThousandChars() {
        String longLine = "x".repeat(5000);
        String emoji = "y".repeat(999) + "\uD83D\uDE00" + "z".repeat(10); // a surrogate pair across the cut

        RecordingHandler h = parse(new AirbyteLineParser(), longLine, emoji);

        assertThat(h.nonProtocol.get(0).text()).hasSize(1000).isEqualTo("x".repeat(1000));
        assertThat(h.nonProtocol.get(1).text()).isEqualTo("y".repeat(999));
    }

    @Test
    void nonAsciiNonProtocolLineIsDecodedAsUtf8() {
        RecordingHandler h = parse(new AirbyteLineParser(), "Καλημέρα κόσμε, コンニチハ");

        assertThat(h.nonProtocol.get(0).text()).isEqualTo("Καλημέρα κόσμε, コンニチハ");
    }

    // --- lines ------------------------------------------------------------------------------------

    @Test
    void crlfLineEndingsAndALastLineWithoutNewlineAreRead() {
        RecordingHandler h = new RecordingHandler();
        new AirbyteLineParser().parse(bytes("banner\r\n" + USERS_RECORD + "\r\n" + STREAM_STATE), h);

        assertThat(h.nonProtocol).containsExactly(new NonProtocol(1, "banner"));
        assertThat(h.lines()).containsExactly(2L, 3L);
    }

    @Test
    void linesArrivingInSmallPiecesAreJoined() {
        String text = "banner\n" + USERS_RECORD + "\n" + STREAM_STATE + "\n" + USERS_RECORD;
        RecordingHandler h = new RecordingHandler();

        new AirbyteLineParser().parse(trickle(text.getBytes(StandardCharsets.UTF_8), 3), h);

        assertThat(h.lines()).containsExactly(2L, 3L, 4L);
        assertThat(h.nonProtocol).containsExactly(new NonProtocol(1, "banner"));
    }

    @Test
    void linesLongerThanTheStartingBufferAreRead() {
        String big = "a".repeat(300_000);
        String record = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"docs\",\"data\":{\"body\":\"" + big + "\"}}}";
        RecordingHandler h = new RecordingHandler();

        new AirbyteLineParser().parse(trickle((USERS_RECORD + "\n" + record + "\n" + USERS_RECORD + "\n")
                .getBytes(StandardCharsets.UTF_8), 8192), h);

        assertThat(h.messages(Record.class)).hasSize(3);
        assertThat(h.messages(Record.class).get(1).data().get("body").asText()).hasSize(300_000);
    }

    @Test
    void lineLongerThanTheLimitFailsNamingTheLine() {
        String text = USERS_RECORD + "\n" + "x".repeat(200) + "\n" + USERS_RECORD + "\n";

        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> new AirbyteLineParser(Set.of(), 150).parse(bytes(text), new RecordingHandler()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).contains("150 bytes");
    }

    @Test
    void unfinishedLineLongerThanTheLimitFailsBeforeItEnds() {
        InputStream endless = new InputStream() { // never ends: the limit must stop the read
            @Override
            public int read() { return 'x'; }
        };

        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> new AirbyteLineParser(Set.of(), 1000).parse(endless, new RecordingHandler()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        assertThat(e.lineNumber()).isEqualTo(1);
    }

    @Test
    void lineExactlyAtTheLimitIsRead() {
        String record = "{\"type\":\"RECORD\",\"record\":{\"stream\":\"s\",\"data\":{\"v\":\"";
        String line = record + "x".repeat(100 - record.length() - 4) + "\"}}}";
        assertThat(line).hasSize(100);

        RecordingHandler h = new RecordingHandler();
        new AirbyteLineParser(Set.of(), 100).parse(bytes(line + "\r\n" + line), h);

        assertThat(h.messages(Record.class)).hasSize(2);
    }

    // --- STATE ------------------------------------------------------------------------------------

    @Test
    void stateMessagesKeepTheirExactTextAndStreamDescriptor() {
        String streamState = "{\"type\": \"STREAM\", \"stream\": {\"stream_descriptor\": {\"name\": \"users\", "
                + "\"namespace\": \"public\"}, \"stream_state\": {\"cursor\": 1.50, \"n\": 1E3}}, "
                + "\"sourceStats\": {\"recordCount\": 2.0}, \"x_unknown\": [1, {\"é\": true}]}";
        String globalState = "{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":12345678901234567890},"
                + "\"stream_states\":[]}}";
        String legacyState = "{\"data\":{\"users\":{\"cursor\":\"2024-01-01\"}}}";

        RecordingHandler h = parse(new AirbyteLineParser(), "{\"type\":\"STATE\",\"state\": " + streamState + " }",
                "{\"state\":" + globalState + ",\"type\":\"STATE\"}", "{\"type\":\"STATE\",\"state\":" + legacyState + "}");

        List<AirbyteStateMessage> states = h.messages(AirbyteStateMessage.class);
        assertThat(states).extracting(AirbyteStateMessage::type)
                .containsExactly(StateType.STREAM, StateType.GLOBAL, StateType.LEGACY);
        assertThat(states.get(0).stream()).contains(StreamDescriptor.of("public", "users"));
        assertThat(states.get(0).json()).isEqualTo(streamState);
        assertThat(states.get(1).json()).isEqualTo(globalState);
        assertThat(states.get(1).stream()).isEmpty();
        assertThat(states.get(2).json()).isEqualTo(legacyState);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"STATE\"}",
        "{\"type\":\"STATE\",\"state\":[]}",
        "{\"type\":\"STATE\",\"state\":{\"type\":\"PER_STREAM\",\"stream\":{}}}",
        "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_state\":{}}}}",
        "{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\"}}",
        "{\"type\":\"STATE\",\"state\":{\"type\":\"LEGACY\"}}"
    })
    void stateWithoutWhatItsTypeNeedsIsAnInvalidMessage(String line) {
        ProtocolException e = failure(new AirbyteLineParser(), line);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.lineNumber()).isEqualTo(1);
    }

    @Test
    void stateForAStreamOutsideTheConfiguredCatalogFailsNamingStreamAndLine() {
        AirbyteLineParser parser = new AirbyteLineParser(Set.of(StreamDescriptor.of("purchases")));

        ProtocolException e = failure(parser, "hello", STREAM_STATE);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_FOR_UNCONFIGURED_STREAM);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.stream()).contains(StreamName.of("users"));
        assertThat(e.getMessage()).contains("'users'");
    }

    // --- LOG, TRACE -------------------------------------------------------------------------------

    @Test
    void logMessagesCarryLevelMessageAndStackTrace() {
        RecordingHandler h = parse(new AirbyteLineParser(),
                "{\"type\":\"LOG\",\"log\":{\"level\":\"WARN\",\"message\":\"slow API\"}}",
                "{\"type\":\"LOG\",\"log\":{\"level\":\"ERROR\",\"message\":\"boom\",\"stack_trace\":\"Traceback...\"}}",
                "{\"type\":\"LOG\",\"log\":{\"level\":\"NOTICE\",\"message\":\"odd level\"}}");

        assertThat(h.messages(AirbyteLogMessage.class)).containsExactly(
                new AirbyteLogMessage(Level.WARN, "slow API", Optional.empty()),
                new AirbyteLogMessage(Level.ERROR, "boom", Optional.of("Traceback...")),
                new AirbyteLogMessage(Level.INFO, "odd level", Optional.empty()));
    }

    @Test
    void traceErrorCarriesMessageInternalMessageFailureTypeAndStackTrace() {
        RecordingHandler h = parse(new AirbyteLineParser(), "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\","
                + "\"emitted_at\":1700000000000.0,\"error\":{\"message\":\"Invalid API key\",\"internal_message\":"
                + "\"401 Client Error: Unauthorized\",\"stack_trace\":\"Traceback (most recent call last): ...\","
                + "\"failure_type\":\"config_error\",\"stream_descriptor\":{\"name\":\"users\"}}}}");

        ErrorTrace error = h.only(ErrorTrace.class);
        assertThat(error.message()).isEqualTo("Invalid API key");
        assertThat(error.internalMessage()).contains("401 Client Error: Unauthorized");
        assertThat(error.failureType()).contains("config_error");
        assertThat(error.stackTrace()).contains("Traceback (most recent call last): ...");
        assertThat(error.stream()).contains(StreamDescriptor.of("users"));
        assertThat(error.isConfigError()).isTrue();
        assertThat(error.isTransient()).isFalse();
    }

    @Test
    void traceErrorWithoutAMessageIsStillAnError() {
        RecordingHandler h = parse(new AirbyteLineParser(),
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"error\":{\"failure_type\":\"transient_error\"}}}");

        ErrorTrace error = h.only(ErrorTrace.class);
        assertThat(error.message()).isEqualTo(Payloads.NO_ERROR_MESSAGE);
        assertThat(error.isTransient()).isTrue();
        assertThat(error.internalMessage()).isEmpty();
    }

    @Test
    void traceStreamStatusAndEstimateAreModelled() {
        RecordingHandler h = parse(new AirbyteLineParser(),
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1.0,\"stream_status\":"
                        + "{\"stream_descriptor\":{\"name\":\"users\",\"namespace\":null},\"status\":\"STARTED\"}}}",
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":2.0,\"stream_status\":"
                        + "{\"stream_descriptor\":{\"name\":\"users\"},\"status\":\"INCOMPLETE\","
                        + "\"reasons\":[{\"type\":\"RATE_LIMITED\"}]}}}",
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ESTIMATE\",\"emitted_at\":3,\"estimate\":{\"name\":\"users\","
                        + "\"namespace\":\"public\",\"type\":\"STREAM\",\"row_estimate\":1000,\"byte_estimate\":65536}}}",
                "{\"type\":\"TRACE\",\"trace\":{\"type\":\"ESTIMATE\",\"emitted_at\":4,\"estimate\":{\"type\":\"SYNC\","
                        + "\"row_estimate\":5000}}}");

        assertThat(h.messages(AirbyteTraceMessage.class)).containsExactly(
                new StreamStatusTrace(StreamDescriptor.of("users"), StreamStatus.STARTED),
                new StreamStatusTrace(StreamDescriptor.of("users"), StreamStatus.INCOMPLETE),
                new EstimateTrace(EstimateType.STREAM, Optional.of(StreamDescriptor.of("public", "users")),
                        OptionalLong.of(1000), OptionalLong.of(65536)),
                new EstimateTrace(EstimateType.SYNC, Optional.empty(), OptionalLong.of(5000), OptionalLong.empty()));
    }

    @Test
    void otherTracesAreKeptVerbatim() {
        String analytics = "{\"type\": \"ANALYTICS\", \"emitted_at\": 1, \"analytics\": {\"type\": \"x\", \"value\": \"2\"}}";
        String oddStatus = "{\"type\":\"STREAM_STATUS\",\"stream_status\":{\"stream_descriptor\":{\"name\":\"u\"},"
                + "\"status\":\"PAUSED\"}}";

        RecordingHandler h = parse(new AirbyteLineParser(), "{\"type\":\"TRACE\",\"trace\":" + analytics + "}",
                "{\"type\":\"TRACE\",\"trace\":" + oddStatus + "}");

        assertThat(h.messages(OtherTrace.class)).containsExactly(new OtherTrace("ANALYTICS", analytics),
                new OtherTrace("STREAM_STATUS", oddStatus));
    }

    // --- CATALOG, SPEC, CONNECTION_STATUS, CONTROL --------------------------------------------------

    @Test
    void catalogSpecAndConnectionStatusAreMaterialised() {
        RecordingHandler h = parse(new AirbyteLineParser(),
                "{\"type\":\"SPEC\",\"spec\":{\"documentationUrl\":\"https://docs.airbyte.com\","
                        + "\"connectionSpecification\":{\"type\":\"object\",\"required\":[\"api_key\"],"
                        + "\"properties\":{\"api_key\":{\"type\":\"string\",\"airbyte_secret\":true}}}}}",
                "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"FAILED\",\"message\":\"bad key\"}}",
                "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"SUCCEEDED\"}}",
                "{\"type\":\"CATALOG\",\"catalog\":{\"streams\":[{\"name\":\"users\",\"json_schema\":{},"
                        + "\"supported_sync_modes\":[\"full_refresh\"]}]}}");

        AirbyteSpecMessage spec = h.only(AirbyteSpecMessage.class);
        assertThat(spec.connectionSpecification().at("/properties/api_key/airbyte_secret").asBoolean()).isTrue();
        assertThat(spec.spec().get("documentationUrl").asText()).isEqualTo("https://docs.airbyte.com");
        assertThat(h.messages(AirbyteConnectionStatusMessage.class)).containsExactly(
                new AirbyteConnectionStatusMessage(Status.FAILED, Optional.of("bad key")),
                new AirbyteConnectionStatusMessage(Status.SUCCEEDED, Optional.empty()));
        assertThat(h.only(AirbyteCatalogMessage.class).catalog().at("/streams/0/name").asText()).isEqualTo("users");
    }

    @Test
    void controlConnectorConfigCarriesTheNewConfigAndMasksItWhenPrinted() {
        RecordingHandler h = parse(new AirbyteLineParser(), "{\"type\":\"CONTROL\",\"control\":{\"type\":"
                + "\"CONNECTOR_CONFIG\",\"emitted_at\":1.7E12,\"connectorConfig\":{\"config\":"
                + "{\"refresh_token\":\"s3cr3t-token\",\"start_date\":\"2024-01-01\"}}}}");

        AirbyteControlMessage control = h.only(AirbyteControlMessage.class);
        assertThat(control.config().get("refresh_token").asText()).isEqualTo("s3cr3t-token");
        assertThat(control.toString()).doesNotContain("s3cr3t");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"SPEC\"}",
        "{\"type\":\"SPEC\",\"spec\":{\"documentationUrl\":\"x\"}}",
        "{\"type\":\"CATALOG\",\"catalog\":{}}",
        "{\"type\":\"CONNECTION_STATUS\",\"connectionStatus\":{\"status\":\"MAYBE\"}}",
        "{\"type\":\"CONTROL\",\"control\":{\"type\":\"CONNECTOR_CONFIG\",\"connectorConfig\":{}}}",
        "{\"type\":\"LOG\",\"log\":\"text\"}",
        "{\"type\":\"TRACE\",\"trace\":null}"
    })
    void knownTypeWithoutItsPayloadIsAnInvalidMessage(String line) {
        ProtocolException e = failure(new AirbyteLineParser(), "banner", line);

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.lineNumber()).isEqualTo(2);
    }

    @Test
    void unknownTypesAreSkippedAndTheRestStillArrives() {
        RecordingHandler h = parse(new AirbyteLineParser(),
                "{\"type\":\"DESTINATION_CATALOG\",\"destination_catalog\":{\"operations\":[]}}",
                "{\"type\":\"FUTURE_THING\",\"x\":1}",
                "{\"type\":\"FUTURE_THING\",\"x\":2}",
                "{\"type\":\"CONTROL\",\"control\":{\"type\":\"FUTURE_CONTROL\"}}",
                USERS_RECORD);

        assertThat(h.messages()).singleElement().isInstanceOf(Record.class);
        assertThat(h.lines()).containsExactly(5L);
        assertThat(h.nonProtocol).isEmpty();
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static RecordingHandler parse(AirbyteLineParser parser, String... lines) {
        RecordingHandler h = new RecordingHandler();
        parser.parse(input(lines), h);
        return h;
    }

    private static ProtocolException failure(AirbyteLineParser parser, String... lines) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> parser.parse(input(lines), new RecordingHandler()));
        assertThat(e).as("expected a ProtocolException").isNotNull();
        return e;
    }

    static InputStream input(String... lines) {
        return bytes(String.join("\n", lines) + "\n");
    }

    static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A stream that hands out at most {@code chunk} bytes per read, like a pipe under load. */
    static InputStream trickle(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }
}
