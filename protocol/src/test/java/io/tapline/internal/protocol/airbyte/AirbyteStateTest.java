package io.tapline.internal.protocol.airbyte;

import static io.tapline.internal.protocol.airbyte.AirbyteLineParserTest.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateStoreException;
import io.tapline.internal.protocol.airbyte.AirbyteStateMessage.StateType;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State accumulation as the Airbyte platform does it, fed by STATE lines through the real parser. */
class AirbyteStateTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String streamState(String namespace, String name, String cursor) {
        String descriptor = namespace == null ? "{\"name\":\"" + name + "\"}"
                : "{\"name\":\"" + name + "\",\"namespace\":\"" + namespace + "\"}";
        return "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":" + descriptor
                + ",\"stream_state\":{\"cursor\":\"" + cursor + "\"}}}";
    }

    private static String globalState(String lsn) {
        return "{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":" + lsn + "},\"stream_states\":[]}}";
    }

    private static String legacyState(String cursor) {
        return "{\"type\":\"LEGACY\",\"data\":{\"cursor\":\"" + cursor + "\"}}";
    }

    @Test
    void streamStatesAreKeptPerStreamAndNamespaceLastWriteWins() throws IOException {
        AirbyteState state = accumulate(new AirbyteState(),
                streamState(null, "users", "1"),
                streamState(null, "purchases", "1"),
                streamState("audit", "users", "1"),
                streamState(null, "users", "2"),
                streamState(null, "users", "3"));

        assertThat(state.type()).contains(StateType.STREAM);
        assertThat(state.messages()).extracting(m -> m.stream().orElseThrow()).containsExactly(
                StreamDescriptor.of("users"), StreamDescriptor.of("purchases"), StreamDescriptor.of("audit", "users"));
        assertThat(state.stream(StreamDescriptor.of("users")).orElseThrow().json())
                .isEqualTo(streamState(null, "users", "3"));
        assertThat(state.stream(StreamDescriptor.of("audit", "users")).orElseThrow().json())
                .isEqualTo(streamState("audit", "users", "1"));
        assertThat(MAPPER.readTree(state.toBlob().json())).isEqualTo(MAPPER.readTree("["
                + streamState(null, "users", "3") + "," + streamState(null, "purchases", "1") + ","
                + streamState("audit", "users", "1") + "]"));
    }

    @Test
    void globalStateReplacesTheGlobalOne() {
        AirbyteState state = accumulate(new AirbyteState(), globalState("1"), globalState("2"), globalState("3"));

        assertThat(state.type()).contains(StateType.GLOBAL);
        assertThat(state.toBlob().json()).isEqualTo("[" + globalState("3") + "]");
    }

    @Test
    void legacyStateReplacesTheLegacyBlob() {
        AirbyteState state = accumulate(new AirbyteState(), legacyState("a"), "{\"data\":{\"cursor\":\"b\"}}");

        assertThat(state.type()).contains(StateType.LEGACY);
        assertThat(state.toBlob().json()).isEqualTo("[{\"data\":{\"cursor\":\"b\"}}]");
    }

    @Test
    void blobKeepsEachMessageAsWrittenUnknownFieldsAndNumberSpellingsIncluded() {
        String written = "{ \"type\" : \"STREAM\", \"stream\": {\"stream_descriptor\": {\"name\": \"users\"}, "
                + "\"stream_state\": {\"cursor\": 1.50, \"big\": 123456789012345678901234567890, \"e\": 1E3}}, "
                + "\"sourceStats\": {\"recordCount\": 10.0}, \"x_future_field\": {\"é\": [true, null]} }";

        AirbyteState state = accumulate(new AirbyteState(), written);

        assertThat(state.toBlob().json()).isEqualTo("[" + written + "]");
    }

    @Test
    void emptyStateIsAnEmptyArray() {
        AirbyteState state = new AirbyteState();

        assertThat(state.isEmpty()).isTrue();
        assertThat(state.type()).isEmpty();
        assertThat(state.toBlob()).isEqualTo(new StateBlob("[]"));
    }

    @Test
    void restoredStreamStateKeepsStreamsTheRunDoesNotTouch() {
        AirbyteState previous = accumulate(new AirbyteState(), streamState(null, "users", "5"),
                streamState(null, "purchases", "7"));

        AirbyteState next = accumulate(AirbyteState.restore(previous.toBlob()), streamState(null, "users", "9"));

        assertThat(next.messages()).extracting(AirbyteStateMessage::json)
                .containsExactly(streamState(null, "users", "9"), streamState(null, "purchases", "7"));
    }

    @Test
    void restoreRoundTripsTheBlobExactly() {
        AirbyteState state = accumulate(new AirbyteState(), "{\"type\": \"STREAM\", \"stream\": "
                + "{\"stream_descriptor\": {\"name\": \"a\"}, \"stream_state\": {\"v\": 1.10}}}",
                streamState("ns", "b", "x"));
        StateBlob blob = state.toBlob();

        assertThat(AirbyteState.restore(blob).toBlob()).isEqualTo(blob);
        assertThat(AirbyteState.restore(new StateBlob(" " + blob.json() + "\n")).toBlob()).isEqualTo(blob);
    }

    @Test
    void restoringABareObjectReadsItAsLegacyData() throws IOException {
        AirbyteState state = AirbyteState.restore(new StateBlob("{\"users\": {\"cursor\": \"2024-01-01\"}}"));

        assertThat(state.type()).contains(StateType.LEGACY);
        JsonNode blob = MAPPER.readTree(state.toBlob().json());
        assertThat(blob).isEqualTo(MAPPER.readTree("[{\"type\":\"LEGACY\",\"data\":{\"users\":{\"cursor\":\"2024-01-01\"}}}]"));
    }

    @Test
    void restoringNothingGivesAnEmptyState() {
        assertThat(AirbyteState.restore(new StateBlob("[]")).isEmpty()).isTrue();
        assertThat(AirbyteState.restore(new StateBlob("")).isEmpty()).isTrue();
        assertThat(AirbyteState.restore(new StateBlob("null")).isEmpty()).isTrue();
    }

    @Test
    void aRunEmittingAnotherTypeThanTheSavedOneReplacesIt() {
        AirbyteState legacy = accumulate(new AirbyteState(), legacyState("old"));

        AirbyteState migrated = accumulate(AirbyteState.restore(legacy.toBlob()), streamState(null, "users", "1"),
                streamState(null, "purchases", "1"));

        assertThat(migrated.type()).contains(StateType.STREAM);
        assertThat(migrated.messages()).hasSize(2).noneMatch(m -> m.type() == StateType.LEGACY);
    }

    @Test
    void aRunMixingStateTypesFailsNamingTheLine() {
        AirbyteState state = new AirbyteState();
        RecordingHandler h = new RecordingHandler();
        new AirbyteLineParser().parse(input(stateLine(streamState(null, "users", "1")), stateLine(globalState("1"))), h);
        List<RecordingHandler.Received> received = h.received;

        state.accept((AirbyteStateMessage) received.get(0).message(), received.get(0).line());
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> state.accept((AirbyteStateMessage) received.get(1).message(), received.get(1).line()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.getMessage()).contains("GLOBAL").contains("STREAM");
        assertThat(state.toBlob().json()).isEqualTo("[" + streamState(null, "users", "1") + "]");
    }

    @Test
    void restoreRejectsWhatIsNotAStateArray() {
        assertThatThrownBy(() -> AirbyteState.restore(new StateBlob("[" + streamState(null, "a", "1") + ","
                + globalState("1") + "]"))).isInstanceOf(StateStoreException.class).hasMessageContaining("mixes");
        assertThatThrownBy(() -> AirbyteState.restore(new StateBlob("[1, 2]")))
                .isInstanceOf(StateStoreException.class);
        assertThatThrownBy(() -> AirbyteState.restore(new StateBlob("\"text\"")))
                .isInstanceOf(StateStoreException.class);
        assertThatThrownBy(() -> AirbyteState.restore(new StateBlob("[{\"type\":\"STREAM\"}]")))
                .isInstanceOf(StateStoreException.class).hasMessageContaining("stream_descriptor");
        assertThatThrownBy(() -> AirbyteState.restore(new StateBlob("[{\"type\":")))
                .isInstanceOf(StateStoreException.class).hasMessageContaining("not valid JSON");
    }

    /** Feeds each state through the parser (as a connector would write it) into {@code state}. */
    private static AirbyteState accumulate(AirbyteState state, String... states) {
        String[] lines = new String[states.length];
        for (int i = 0; i < states.length; i++) {
            lines[i] = stateLine(states[i]);
        }
        RecordingHandler h = new RecordingHandler();
        new AirbyteLineParser().parse(input(lines), h);
        for (RecordingHandler.Received r : h.received) {
            state.accept((AirbyteStateMessage) r.message(), r.line());
        }
        assertThat(h.received).hasSize(states.length);
        return state;
    }

    private static String stateLine(String state) {
        return "{\"type\":\"STATE\",\"state\":" + state + "}";
    }
}
