package io.tapline.internal.protocol.airbyte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfiguredCatalogBuilderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A catalog in the shape source-faker discovers, plus streams for the other rules. */
    private static final String CATALOG = """
            {"streams": [
              {"name": "users", "json_schema": {"type": "object", "required": ["id", "email"], "properties": {
                 "id": {"type": "integer"}, "name": {"type": ["null", "string"]}, "email": {"type": "string"},
                 "address": {"type": "object", "properties": {"city": {"type": "string"}}},
                 "updated_at": {"type": "string", "format": "date-time"}}},
               "supported_sync_modes": ["full_refresh", "incremental"], "source_defined_cursor": true,
               "default_cursor_field": ["updated_at"], "source_defined_primary_key": [["id"]], "is_resumable": true},
              {"name": "events", "json_schema": {"type": "object", "properties": {"ts": {"type": "string"}}},
               "supported_sync_modes": ["full_refresh", "incremental"], "default_cursor_field": ["ts"]},
              {"name": "logs", "json_schema": {"type": "object", "properties": {"line": {"type": "string"}}},
               "supported_sync_modes": ["full_refresh", "incremental"]},
              {"name": "countries", "json_schema": {"type": "object", "properties": {"code": {"type": "string"}}},
               "supported_sync_modes": ["full_refresh"], "source_defined_primary_key": [["code"]]},
              {"name": "snapshots", "json_schema": {"type": "object", "properties": {"v": {"type": "string"}}},
               "supported_sync_modes": ["full_refresh"]},
              {"name": "changes", "json_schema": {"type": "object", "properties": {"v": {"type": "string"}}},
               "supported_sync_modes": ["incremental"]},
              {"name": "orders", "namespace": "public", "json_schema": {"type": "object"},
               "supported_sync_modes": ["full_refresh", "incremental"], "source_defined_cursor": true,
               "source_defined_primary_key": [["tenant"], ["id"]]}
            ]}""";

    @Test
    void incrementalWhenSupportedAndTheSourceDefinesTheCursor() {
        ConfiguredStream users = stream(build(List.of("*.*")), "users");

        assertThat(users.syncMode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(users.cursorField()).containsExactly("updated_at");
        assertThat(stream(build(List.of("*.*")), "orders").syncMode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(stream(build(List.of("*.*")), "orders").cursorField()).isEmpty();
    }

    @Test
    void incrementalWhenSupportedAndADefaultCursorFieldIsKnown() {
        ConfiguredStream events = stream(build(List.of("*.*")), "events");

        assertThat(events.syncMode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(events.cursorField()).containsExactly("ts");
        assertThat(events.destinationSyncMode()).isEqualTo(DestinationSyncMode.APPEND);
    }

    @Test
    void fullRefreshWhenIncrementalIsSupportedButNoCursorIsKnown() {
        ConfiguredStream logs = stream(build(List.of("*.*")), "logs");

        assertThat(logs.syncMode()).isEqualTo(SyncMode.FULL_REFRESH);
        assertThat(logs.cursorField()).isEmpty();
        assertThat(logs.destinationSyncMode()).isEqualTo(DestinationSyncMode.OVERWRITE);
    }

    @Test
    void fullRefreshOverwriteWhenOnlyFullRefreshIsSupportedAndThereIsNoKey() {
        ConfiguredStream snapshots = stream(build(List.of("*.*")), "snapshots");

        assertThat(snapshots.syncMode()).isEqualTo(SyncMode.FULL_REFRESH);
        assertThat(snapshots.destinationSyncMode()).isEqualTo(DestinationSyncMode.OVERWRITE);
    }

    @Test
    void incrementalWhenThatIsAllTheStreamSupportsEvenWithoutACursor() {
        ConfiguredStream changes = stream(build(List.of("*.*")), "changes");

        assertThat(changes.syncMode()).isEqualTo(SyncMode.INCREMENTAL);
        assertThat(changes.destinationSyncMode()).isEqualTo(DestinationSyncMode.APPEND);
    }

    @Test
    void appendDedupWhenTheSourceDefinesAPrimaryKey() {
        ConfiguredCatalog catalog = build(List.of("*.*"));

        assertThat(stream(catalog, "users").destinationSyncMode()).isEqualTo(DestinationSyncMode.APPEND_DEDUP);
        assertThat(stream(catalog, "users").primaryKey()).containsExactly(List.of("id"));
        assertThat(stream(catalog, "countries").syncMode()).isEqualTo(SyncMode.FULL_REFRESH);
        assertThat(stream(catalog, "countries").destinationSyncMode()).isEqualTo(DestinationSyncMode.APPEND_DEDUP);
        assertThat(stream(catalog, "orders").primaryKey()).containsExactly(List.of("tenant"), List.of("id"));
    }

    @Test
    void configuredCatalogJsonHasTheProtocolFields() {
        JsonNode streams = build(List.of("users", "snapshots")).json().get("streams");

        assertThat(streams).hasSize(2);
        JsonNode users = streams.get(0);
        assertThat(users.get("sync_mode").asText()).isEqualTo("incremental");
        assertThat(users.get("cursor_field")).isEqualTo(tree("[\"updated_at\"]"));
        assertThat(users.get("destination_sync_mode").asText()).isEqualTo("append_dedup");
        assertThat(users.get("primary_key")).isEqualTo(tree("[[\"id\"]]"));
        assertThat(users.at("/stream/name").asText()).isEqualTo("users");
        assertThat(users.at("/stream/is_resumable").asBoolean()).isTrue(); // the stream object is kept whole
        JsonNode snapshots = streams.get(1);
        assertThat(snapshots.get("sync_mode").asText()).isEqualTo("full_refresh");
        assertThat(snapshots.has("cursor_field")).isFalse();
        assertThat(snapshots.has("primary_key")).isFalse();
        assertThat(snapshots.get("destination_sync_mode").asText()).isEqualTo("overwrite");
    }

    @Test
    void selectionByNameGlobAndNegationFollowsMeltano() {
        assertThat(names(build(List.of("users")))).containsExactly("users");
        assertThat(names(build(List.of("*s", "!logs")))).containsExactly("users", "events", "countries",
                "snapshots", "changes", "orders");
        assertThat(names(build(List.of("*.*", "!*.*")))).isEmpty();
        assertThat(names(build(List.of("c*.*")))).containsExactly("countries", "changes");
    }

    @Test
    void defaultSelectionTakesEveryStream() {
        ConfiguredCatalog catalog = ConfiguredCatalogBuilder.forCatalog(tree(CATALOG)).build();

        assertThat(names(catalog)).containsExactly("users", "events", "logs", "countries", "snapshots", "changes",
                "orders");
    }

    @Test
    void selectFilterNarrowsTheSelection() {
        ConfiguredCatalog catalog = ConfiguredCatalogBuilder.forCatalog(tree(CATALOG))
                .select(List.of("*.*")).selectFilter(List.of("users", "orders", "!orders")).build();

        assertThat(names(catalog)).containsExactly("users");
    }

    @Test
    void propertySelectionKeepsTheChosenTopLevelPropertiesPlusKeyAndCursor() {
        ConfiguredStream users = stream(build(List.of("users.name", "users.address.city")), "users");

        assertThat(fieldNames(users.jsonSchema().get("properties"))).containsExactly("id", "name", "address",
                "updated_at");
        assertThat(users.jsonSchema().get("required")).isEqualTo(tree("[\"id\"]"));
        assertThat(users.jsonSchema().at("/properties/address/properties/city").isObject()).isTrue();
    }

    @Test
    void excludedPropertyIsDroppedFromTheSchema() {
        ConfiguredCatalog catalog = build(List.of("users.*", "!users.email"));

        assertThat(fieldNames(stream(catalog, "users").jsonSchema().get("properties")))
                .containsExactly("id", "name", "address", "updated_at");
        assertThat(catalog.json().at("/streams/0/stream/json_schema/properties").has("email")).isFalse();
    }

    @Test
    void theDiscoveredCatalogIsNotChanged() {
        JsonNode discovered = tree(CATALOG);
        JsonNode before = discovered.deepCopy();

        ConfiguredCatalogBuilder.forCatalog(discovered).select(List.of("users.name")).build();

        assertThat(discovered).isEqualTo(before);
    }

    @Test
    void descriptorsCarryTheNamespaceForTheParsersCheck() {
        ConfiguredCatalog catalog = build(List.of("orders", "users"));

        assertThat(catalog.descriptors()).isEqualTo(Set.of(StreamDescriptor.of("public", "orders"),
                StreamDescriptor.of("users")));
    }

    @Test
    void patternForAStreamTheCatalogLacksSelectsNothingAndDoesNotFail() {
        assertThat(build(List.of("no_such_stream")).isEmpty()).isTrue();
    }

    @Test
    void catalogWithoutStreamsOrWithANamelessStreamIsAConfigError() {
        assertThatThrownBy(() -> ConfiguredCatalogBuilder.forCatalog(tree("{}")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ConfiguredCatalogBuilder.forCatalog(tree("{\"streams\":[{\"json_schema\":{}}]}")).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> ConfiguredCatalogBuilder.forCatalog(tree("{\"streams\":[{\"name\":\"x\"}]}")).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("'x'").hasMessageContaining("json_schema");
    }

    private static ConfiguredCatalog build(List<String> select) {
        return ConfiguredCatalogBuilder.forCatalog(tree(CATALOG)).select(select).build();
    }

    private static ConfiguredStream stream(ConfiguredCatalog catalog, String name) {
        return catalog.streams().stream().filter(s -> s.stream().name().value().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no stream " + name + " in " + catalog));
    }

    private static List<String> names(ConfiguredCatalog catalog) {
        return catalog.streams().stream().map(s -> s.stream().name().value()).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
