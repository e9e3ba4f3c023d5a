package io.tapline.internal.protocol.airbyte;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ErrorCode;
import io.tapline.internal.protocol.Fixtures;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.airbyte.AirbyteConnectionStatusMessage.Status;
import io.tapline.internal.protocol.airbyte.AirbyteLogMessage.Level;
import io.tapline.internal.protocol.airbyte.AirbyteStateMessage.StateType;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.EstimateType;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.StreamStatus;
import io.tapline.internal.protocol.arrow.BatchBuilder;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.spi.StreamSchema;
import io.tapline.internal.protocol.singer.JsonSchema;
import io.tapline.internal.protocol.singer.SchemaMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Airbyte side against material Airbyte published: destination-duckdb's test messages and
 * configured catalog, and the protocol specification itself ({@code airbyte_protocol.yaml}).
 */
class AirbyteFixturesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DUCKDB = "airbytehq__airbyte/airbyte-integrations/connectors/destination-duckdb/";
    private static final String MESSAGES = DUCKDB + "tests/integration_tests/messages.jsonl";
    private static final String CONFIGURED_CATALOG = DUCKDB + "integration_tests/configured_catalog.json";
    private static final String PROTOCOL = "airbytehq__airbyte-protocol/protocol-models/src/main/resources/"
            + "airbyte_protocol/v0/airbyte_protocol.yaml";

    private BufferAllocator allocator;

    @BeforeEach
    void open() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void close() {
        allocator.close(); // fails the test on a leak
    }

    // --- destination-duckdb's messages and catalog --------------------------------------------------

    @Test
    void destinationDuckdbMessagesLoadIntoArrowWithTheCatalogSchema() throws IOException {
        JsonNode configured = read(CONFIGURED_CATALOG);
        JsonNode stream = configured.at("/streams/0/stream");
        StreamName name = StreamName.of(stream.get("name").asText());
        StreamSchema schema = JsonSchemaToArrow.convert(new SchemaMessage(name, new JsonSchema(stream.get("json_schema")),
                List.of(), List.of()), 0);
        long expectedRecords = Files.readAllLines(Fixtures.path(MESSAGES)).stream()
                .filter(l -> l.contains("\"RECORD\"")).count();

        try (BatchBuilder batch = new BatchBuilder(schema, allocator); InputStream in = Files.newInputStream(
                Fixtures.path(MESSAGES))) {
            AirbyteLineParser parser = new AirbyteLineParser(Set.of(new StreamDescriptor(name, Optional.empty())));
            parser.parse(in, new RecordingHandler() {
                @Override
                public void record(StreamName s, Optional<String> namespace, JsonParser data, long lineNumber)
                        throws IOException {
                    assertThat(s).isEqualTo(name);
                    batch.append(data, lineNumber);
                }
            });

            VectorSchemaRoot root = batch.root();
            assertThat((long) root.getRowCount()).isEqualTo(expectedRecords).isEqualTo(1);
            assertThat(root.getVector("column1")).isInstanceOfSatisfying(VarCharVector.class,
                    v -> assertThat(v.getObject(0).toString()).isEqualTo("test"));
            assertThat(root.getVector("column2")).isInstanceOfSatisfying(Float8Vector.class,
                    v -> assertThat(v.get(0)).isEqualTo(222.0));
            assertThat(root.getVector("column4")).isInstanceOfSatisfying(Float8Vector.class,
                    v -> assertThat(v.get(0)).isEqualTo(33.33));
            assertThat(root.getVector("column5").getObject(0).toString()).isEqualTo("[1,2,null]");
            assertThat(parser.nonProtocolLines()).isZero();
        }
    }

    @Test
    void configuredCatalogMatchesTheOneAirbyteWroteForDestinationDuckdb() throws IOException {
        JsonNode expected = read(CONFIGURED_CATALOG);
        JsonNode discovered = MAPPER.createObjectNode().set("streams",
                MAPPER.createArrayNode().add(expected.at("/streams/0/stream")));

        ConfiguredCatalog built = ConfiguredCatalogBuilder.forCatalog(discovered).build();

        assertThat(built.json()).isEqualTo(expected);
    }

    // --- the protocol specification --------------------------------------------------------------

    @Test
    void everySourceMessageTypeOfTheSpecIsRecognised() throws IOException {
        List<String> types = new ArrayList<>(enumOf("AirbyteMessage", "type"));
        assertThat(types).contains("RECORD", "STATE", "LOG", "TRACE", "SPEC", "CATALOG", "CONNECTION_STATUS", "CONTROL");
        types.remove("DESTINATION_CATALOG"); // destinations only: skipped like any unknown type

        for (String type : types) { // a recognised type without its payload is an invalid message, not a skipped one
            ProtocolException e = org.assertj.core.api.Assertions.catchThrowableOfType(ProtocolException.class,
                    () -> new AirbyteLineParser().parse(AirbyteLineParserTest.input("{\"type\":\"" + type + "\"}"),
                            new RecordingHandler()));
            assertThat(e).as(type).isNotNull();
            assertThat(e.errorCode()).as(type).isEqualTo(ErrorCode.INVALID_MESSAGE);
        }
        RecordingHandler h = new RecordingHandler();
        new AirbyteLineParser().parse(AirbyteLineParserTest.input("{\"type\":\"DESTINATION_CATALOG\"}"), h);
        assertThat(h.received).isEmpty();
        assertThat(h.nonProtocol).isEmpty();
    }

    @Test
    void modelEnumsHoldExactlyTheSpecsValues() throws IOException {
        assertThat(names(AirbyteStateMessage.StateType.values())).isEqualTo(enumOf("AirbyteStateType", null));
        assertThat(names(Level.values())).isEqualTo(enumOf("AirbyteLogMessage", "level"));
        assertThat(names(StreamStatus.values())).isEqualTo(enumOf("AirbyteStreamStatus", null));
        assertThat(names(EstimateType.values())).isEqualTo(enumOf("AirbyteEstimateTraceMessage", "type"));
        assertThat(names(Status.values())).isEqualTo(enumOf("AirbyteConnectionStatus", "status"));
        assertThat(Arrays.stream(SyncMode.values()).map(SyncMode::wire).collect(Collectors.toSet()))
                .isEqualTo(enumOf("SyncMode", null));
        assertThat(enumOf("DestinationSyncMode", null)).containsAll(
                Arrays.stream(DestinationSyncMode.values()).map(DestinationSyncMode::wire).toList());
        assertThat(enumOf("AirbyteTraceMessage", "type")).contains("ERROR", "STREAM_STATUS", "ESTIMATE");
        assertThat(enumOf("AirbyteErrorTraceMessage", "failure_type")).contains("config_error", "transient_error");
        assertThat(enumOf("AirbyteControlMessage", "type")).containsExactly("CONNECTOR_CONFIG");
    }

    @Test
    void configuredCatalogHasEveryFieldTheSpecRequires() throws IOException {
        JsonNode discovered = MAPPER.readTree("""
                {"streams": [{"name": "users", "json_schema": {"type": "object", "properties": {"id": {"type": "integer"},
                  "updated_at": {"type": "string"}}}, "supported_sync_modes": ["full_refresh", "incremental"],
                  "source_defined_cursor": true, "default_cursor_field": ["updated_at"],
                  "source_defined_primary_key": [["id"]]}]}""");

        JsonNode configured = ConfiguredCatalogBuilder.forCatalog(discovered).build().json();

        assertThat(fieldNames(configured)).containsAll(requiredOf("ConfiguredAirbyteCatalog"));
        JsonNode stream = configured.get("streams").get(0);
        assertThat(fieldNames(stream)).containsAll(requiredOf("ConfiguredAirbyteStream"))
                .contains("cursor_field", "primary_key"); // required by the spec's text for incremental, *_dedup
        assertThat(fieldNames(stream.get("stream"))).containsAll(requiredOf("AirbyteStream"));
        assertThat(enumOf("SyncMode", null)).contains(stream.get("sync_mode").asText());
        assertThat(enumOf("DestinationSyncMode", null)).contains(stream.get("destination_sync_mode").asText());
    }

    @Test
    void stateMessagesOfEveryTypeTheSpecDescribesAreAccumulated() throws IOException {
        // shaped after the spec's AirbyteStateMessage, AirbyteStreamState and AirbyteGlobalState definitions
        assertThat(requiredOf("AirbyteStreamState")).containsExactly("stream_descriptor");
        assertThat(requiredOf("AirbyteGlobalState")).containsExactly("stream_states");
        assertThat(requiredOf("StreamDescriptor")).containsExactly("name");
        String global = "{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":1},\"stream_states\":["
                + "{\"stream_descriptor\":{\"name\":\"users\",\"namespace\":\"public\"},\"stream_state\":{\"id\":5}}]},"
                + "\"sourceStats\":{\"recordCount\":5.0}}";
        RecordingHandler h = new RecordingHandler();
        new AirbyteLineParser().parse(AirbyteLineParserTest.input("{\"type\":\"STATE\",\"state\":" + global + "}"), h);
        AirbyteState state = new AirbyteState();
        state.accept(h.only(AirbyteStateMessage.class), 1);

        assertThat(state.type()).contains(StateType.GLOBAL);
        assertThat(state.toBlob().json()).isEqualTo("[" + global + "]");
    }

    // --- helpers: a reader for the few shapes of airbyte_protocol.yaml the tests need -----------------

    /** The {@code enum} of a definition ({@code property} null) or of one of its properties, in order. */
    private static Set<String> enumOf(String definition, String property) throws IOException {
        List<String> block = block(definition);
        int from = 0;
        if (property != null) {
            Pattern prop = Pattern.compile("^\\s+" + Pattern.quote(property) + ":\\s*$");
            while (from < block.size() && !prop.matcher(block.get(from)).matches()) {
                from++;
            }
            assertThat(from).as(definition + "." + property).isLessThan(block.size());
        }
        return listAfter(block, from, "enum:");
    }

    private static Set<String> requiredOf(String definition) throws IOException {
        return listAfter(block(definition), 0, "required:");
    }

    private static Set<String> listAfter(List<String> block, int from, String key) {
        int i = from;
        while (i < block.size() && !block.get(i).trim().equals(key)) {
            i++;
        }
        assertThat(i).as(key).isLessThan(block.size());
        Pattern item = Pattern.compile("^\\s+- \"?([A-Za-z_]+)\"?(\\s+#.*)?$");
        Set<String> out = new LinkedHashSet<>();
        for (i++; i < block.size(); i++) {
            Matcher m = item.matcher(block.get(i));
            if (!m.matches()) {
                if (block.get(i).trim().startsWith("#")) {
                    continue;
                }
                break;
            }
            out.add(m.group(1));
        }
        return out;
    }

    /** The lines of a top-level definition, up to the next one. */
    private static List<String> block(String definition) throws IOException {
        List<String> lines = Files.readAllLines(Fixtures.path(PROTOCOL));
        int start = lines.indexOf("  " + definition + ":");
        assertThat(start).as(definition).isNotNegative();
        List<String> out = new ArrayList<>();
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.matches("^  \\S.*")) {
                break;
            }
            out.add(line);
        }
        return out;
    }

    private static Set<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode read(String fixture) throws IOException {
        return MAPPER.readTree(Files.readAllBytes(Path.of(Fixtures.path(fixture).toString())));
    }
}
