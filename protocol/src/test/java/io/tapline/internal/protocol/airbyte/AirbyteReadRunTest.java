package io.tapline.internal.protocol.airbyte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.StreamStatus;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.StreamStatusTrace;
import io.tapline.internal.protocol.airbyte.RecordingHandler.Record;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A whole {@code read} as source-faker writes it (hand-written in its shape: its three streams, CDK
 * stream statuses, per-stream state with record counts, log lines and Python warnings on stdout),
 * through the configured catalog, the parser and the state accumulator together.
 */
class AirbyteReadRunTest {
    private static final String DISCOVERED = """
            {"streams": [
              {"name": "users", "json_schema": {"type": "object", "properties": {"id": {"type": "integer"},
                 "name": {"type": "string"}, "updated_at": {"type": "string", "format": "date-time"}}},
               "supported_sync_modes": ["full_refresh", "incremental"], "source_defined_cursor": true,
               "default_cursor_field": ["updated_at"], "source_defined_primary_key": [["id"]], "is_resumable": true},
              {"name": "products", "json_schema": {"type": "object", "properties": {"id": {"type": "integer"},
                 "make": {"type": "string"}, "updated_at": {"type": "string", "format": "date-time"}}},
               "supported_sync_modes": ["full_refresh", "incremental"], "source_defined_cursor": true,
               "default_cursor_field": ["updated_at"], "source_defined_primary_key": [["id"]]},
              {"name": "purchases", "json_schema": {"type": "object", "properties": {"id": {"type": "integer"},
                 "user_id": {"type": "integer"}, "updated_at": {"type": "string", "format": "date-time"}}},
               "supported_sync_modes": ["full_refresh", "incremental"], "source_defined_cursor": true,
               "default_cursor_field": ["updated_at"], "source_defined_primary_key": [["id"]]}
            ]}""";

    private static final List<String> RUN = List.of(
            "Starting source-faker (seed 42, parallelism 1)",
            "{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"Starting syncing SourceFaker\"}}",
            status("users", "STARTED"),
            status("users", "RUNNING"),
            record("users", "{\"id\":1,\"name\":\"Ada\",\"updated_at\":\"2024-05-01T00:00:01+00:00\"}"),
            record("users", "{\"id\":2,\"name\":\"Grace\",\"updated_at\":\"2024-05-01T00:00:02+00:00\"}"),
            record("users", "{\"id\":3,\"name\":\"Edsger\",\"updated_at\":\"2024-05-01T00:00:03+00:00\"}"),
            state("users", "{\"updated_at\":\"2024-05-01T00:00:03+00:00\",\"seed\":42}", 3),
            status("users", "COMPLETE"),
            status("products", "STARTED"),
            record("products", "{\"id\":1,\"make\":\"Mazda\",\"updated_at\":\"2024-05-01T00:00:01+00:00\"}"),
            record("products", "{\"id\":2,\"make\":\"Volvo\",\"updated_at\":\"2024-05-01T00:00:02+00:00\"}"),
            state("products", "{\"product_count\":2,\"seed\":42}", 2),
            status("products", "COMPLETE"),
            "/venv/lib/python3.11/site-packages/pydantic/main.py:1: DeprecationWarning: use model_dump",
            status("purchases", "STARTED"),
            record("purchases", "{\"id\":1,\"user_id\":1,\"updated_at\":\"2024-05-01T00:00:04+00:00\"}"),
            state("purchases", "{\"updated_at\":\"2024-05-01T00:00:04+00:00\",\"seed\":42}", 1),
            record("purchases", "{\"id\":2,\"user_id\":3,\"updated_at\":\"2024-05-01T00:00:05+00:00\"}"),
            state("purchases", "{\"updated_at\":\"2024-05-01T00:00:05+00:00\",\"seed\":42}", 1),
            status("purchases", "COMPLETE"),
            "{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"Finished syncing SourceFaker\"}}");

    @Test
    void readRunFlowsThroughCatalogParserAndState() {
        ConfiguredCatalog catalog = ConfiguredCatalogBuilder.forCatalog(ConfiguredCatalogBuilderTest.tree(DISCOVERED))
                .build();
        assertThat(catalog.streams()).allSatisfy(s -> {
            assertThat(s.syncMode()).isEqualTo(SyncMode.INCREMENTAL);
            assertThat(s.destinationSyncMode()).isEqualTo(DestinationSyncMode.APPEND_DEDUP);
        });
        AirbyteState state = new AirbyteState();
        RecordingHandler h = new RecordingHandler() {
            @Override
            public void state(AirbyteStateMessage message, long lineNumber) {
                super.state(message, lineNumber);
                state.accept(message, lineNumber);
            }
        };
        AirbyteLineParser parser = new AirbyteLineParser(catalog.descriptors());

        parser.parse(AirbyteLineParserTest.input(RUN.toArray(String[]::new)), h);

        Map<String, Long> records = h.messages(Record.class).stream()
                .collect(Collectors.groupingBy(r -> r.stream().value(), Collectors.counting()));
        assertThat(records).isEqualTo(expectedRecordsPerStream());
        assertThat(h.messages(StreamStatusTrace.class)).filteredOn(t -> t.status() == StreamStatus.COMPLETE)
                .extracting(t -> t.stream().name().value()).containsExactly("users", "products", "purchases");
        assertThat(h.nonProtocol).extracting(RecordingHandler.NonProtocol::line).containsExactly(1L, 15L);
        assertThat(parser.linesRead()).isEqualTo(RUN.size());
        assertThat(state.messages()).extracting(AirbyteStateMessage::json).containsExactly(
                stateObject("users", "{\"updated_at\":\"2024-05-01T00:00:03+00:00\",\"seed\":42}", 3),
                stateObject("products", "{\"product_count\":2,\"seed\":42}", 2),
                stateObject("purchases", "{\"updated_at\":\"2024-05-01T00:00:05+00:00\",\"seed\":42}", 1));
    }

    @Test
    void secondRunStartsFromTheSavedStateAndUpdatesOnlyTheStreamsItReads() {
        AirbyteState first = new AirbyteState();
        parseStates(RUN, first);
        StateBlob saved = first.toBlob();

        AirbyteState second = AirbyteState.restore(saved);
        parseStates(List.of(status("users", "STARTED"),
                record("users", "{\"id\":4,\"name\":\"Barbara\",\"updated_at\":\"2024-05-02T00:00:00+00:00\"}"),
                state("users", "{\"updated_at\":\"2024-05-02T00:00:00+00:00\",\"seed\":42}", 1)), second);

        assertThat(second.messages()).extracting(m -> m.stream().orElseThrow().name().value())
                .containsExactly("users", "products", "purchases");
        assertThat(second.stream(StreamDescriptor.of("users")).orElseThrow().json())
                .contains("2024-05-02T00:00:00+00:00");
        assertThat(second.stream(StreamDescriptor.of("purchases"))).isEqualTo(first.stream(StreamDescriptor.of("purchases")));
    }

    @Test
    void recordForAStreamTheSelectionLeftOutFailsTheRun() {
        ConfiguredCatalog catalog = ConfiguredCatalogBuilder.forCatalog(ConfiguredCatalogBuilderTest.tree(DISCOVERED))
                .select(List.of("users", "products")).build();

        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> new AirbyteLineParser(
                catalog.descriptors()).parse(AirbyteLineParserTest.input(RUN.toArray(String[]::new)),
                new RecordingHandler()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.RECORD_FOR_UNCONFIGURED_STREAM);
        assertThat(e.stream()).contains(StreamName.of("purchases"));
        assertThat(e.lineNumber()).isEqualTo(RUN.indexOf(RUN.stream().filter(l -> l.contains("\"purchases\",\"data\""))
                .findFirst().orElseThrow()) + 1);
    }

    private static Map<String, Long> expectedRecordsPerStream() {
        return RUN.stream().filter(l -> l.startsWith("{\"type\":\"RECORD\""))
                .map(l -> l.replaceFirst("^.*?\"stream\":\"([^\"]+)\".*$", "$1"))
                .collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    }

    private static void parseStates(List<String> lines, AirbyteState into) {
        new AirbyteLineParser().parse(AirbyteLineParserTest.input(lines.toArray(String[]::new)), new RecordingHandler() {
            @Override
            public void state(AirbyteStateMessage message, long lineNumber) {
                into.accept(message, lineNumber);
            }
        });
    }

    private static String record(String stream, String data) {
        return "{\"type\":\"RECORD\",\"record\":{\"stream\":\"" + stream + "\",\"data\":" + data
                + ",\"emitted_at\":1714521600000}}";
    }

    private static String status(String stream, String status) {
        return "{\"type\":\"TRACE\",\"trace\":{\"type\":\"STREAM_STATUS\",\"emitted_at\":1714521600000.0,"
                + "\"stream_status\":{\"stream_descriptor\":{\"name\":\"" + stream + "\",\"namespace\":null},"
                + "\"status\":\"" + status + "\"}}}";
    }

    private static String state(String stream, String streamState, int count) {
        return "{\"type\":\"STATE\",\"state\":" + stateObject(stream, streamState, count) + "}";
    }

    private static String stateObject(String stream, String streamState, int count) {
        return "{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"" + stream + "\",\"namespace\":null},"
                + "\"stream_state\":" + streamState + "},\"sourceStats\":{\"recordCount\":" + count + ".0}}";
    }
}
