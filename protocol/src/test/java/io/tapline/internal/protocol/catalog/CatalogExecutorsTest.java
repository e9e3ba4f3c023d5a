package io.tapline.internal.protocol.catalog;

import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.bc;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.catalog;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.entry;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CASES.md 1.10's "metadata and schema rules" table ({@code test_catalog.py::TestMetadataExecutor},
 * {@code ::TestSchemaExecutor}) over CATALOG and JSON_SCHEMA, and what the catalog handed to the tap
 * looks like.
 */
class CatalogExecutorsTest {
    private static final String STREAM = "UniqueEntitiesName";

    private static MetadataRule rule(String stream, List<String> breadcrumb, String key, JsonNode value) {
        return new MetadataRule(stream, breadcrumb, key, value, false);
    }

    private static JsonNode streamMetadata(ObjectNode catalog, String key) {
        return entry(catalog, STREAM, List.of()).path("metadata").path(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CATALOG", "JSON_SCHEMA"})
    void lastMatchingRuleWinsOnTheStreamNode(String name) {
        MetadataRule incremental = rule("*", List.of(), "replication-method", TextNode.valueOf("INCREMENTAL"));
        MetadataRule fullTable = rule("*Name", List.of(), "replication-method", TextNode.valueOf("FULL_TABLE"));

        assertThat(streamMetadata(CatalogSelection.applyMetadataRules(catalog(name), List.of(incremental, fullTable)),
                "replication-method").asText()).isEqualTo("FULL_TABLE"); // MD1
        assertThat(streamMetadata(CatalogSelection.applyMetadataRules(catalog(name), List.of(fullTable, incremental)),
                "replication-method").asText()).isEqualTo("INCREMENTAL"); // MD2
    }

    @ParameterizedTest
    @ValueSource(strings = {"CATALOG", "JSON_SCHEMA"})
    void lastMatchingRuleWinsOnPropertyNodes(String name) {
        MetadataRule available = rule(STREAM, bc("*"), "inclusion", TextNode.valueOf("available"));
        MetadataRule automatic = rule(STREAM, bc("*_at"), "inclusion", TextNode.valueOf("automatic"));

        ObjectNode md3 = CatalogSelection.applyMetadataRules(catalog(name), List.of(available, automatic));
        assertThat(entry(md3, STREAM, bc("created_at")).at("/metadata/inclusion").asText()).isEqualTo("automatic");
        assertThat(entry(md3, STREAM, bc("code")).at("/metadata/inclusion").asText()).isEqualTo("available");

        ObjectNode md4 = CatalogSelection.applyMetadataRules(catalog(name), List.of(automatic, available));
        assertThat(entry(md4, STREAM, bc("created_at")).at("/metadata/inclusion").asText()).isEqualTo("available");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CATALOG", "JSON_SCHEMA"})
    void streamLevelRulesAreAlsoWrittenOnTheStreamWithUnderscores(String name) {
        // MD5
        ObjectNode out = CatalogSelection.applyMetadataRules(catalog(name), List.of(
                rule(STREAM, List.of(), "replication-key", TextNode.valueOf("created_at")),
                rule(STREAM, bc("created_at"), "is-replication-key", BooleanNode.TRUE),
                rule(STREAM, bc("payload", "hash"), "custom-metadata", TextNode.valueOf("custom-value"))));

        assertThat(out.path("streams").get(0).path("replication_key").asText()).isEqualTo("created_at");
        assertThat(streamMetadata(out, "replication-key").asText()).isEqualTo("created_at");
        assertThat(entry(out, STREAM, bc("created_at")).at("/metadata/is-replication-key").asBoolean()).isTrue();
        assertThat(entry(out, STREAM, bc("payload", "hash")).at("/metadata/custom-metadata").asText())
                .isEqualTo("custom-value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CATALOG", "JSON_SCHEMA", "EMPTY_STREAM_SCHEMA"})
    void schemaRulesReplacePropertiesCreatingNamedOnesButNotUnmatchedWildcards(String name) {
        // SC1: TestSchemaExecutor::test_visit
        List<SchemaRule> rules = List.of(
                new SchemaRule(new CatalogRule(STREAM, bc("code"), false),
                        (ObjectNode) json("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}")),
                new SchemaRule(new CatalogRule(STREAM, bc("*_at"), false),
                        (ObjectNode) json("{\"type\": \"string\", \"format\": \"date\"}")),
                new SchemaRule(new CatalogRule(STREAM, bc("payload"), false), (ObjectNode) json("""
                        {"type": "object", "properties": {"content": {"type": ["string", "null"]}, "hash": {"type": "string"}}}
                        """)),
                new SchemaRule(new CatalogRule(STREAM, bc("*load", "hash"), false),
                        (ObjectNode) json("{\"type\": [\"string\", \"null\"]}")));
        boolean hadCreatedAt = catalog(name).at("/streams/0/schema/properties").has("created_at");

        JsonNode props = CatalogSelection.applySchemaRules(catalog(name), rules).at("/streams/0/schema/properties");

        assertThat(props.path("code")).isEqualTo(json("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}"));
        if (hadCreatedAt) {
            assertThat(props.path("created_at")).isEqualTo(json("{\"type\": \"string\", \"format\": \"date\"}"));
        } else {
            assertThat(props.has("created_at")).isFalse();
        }
        assertThat(props.has("*_at")).isFalse();
        assertThat(props.path("payload")).isEqualTo(json("""
                {"type": "object", "properties": {"content": {"type": ["string", "null"]}, "hash": {"type": ["string", "null"]}}}
                """));
    }

    @Test
    void automaticNodesKeepTheSelectedValueTheRulesGaveAndStillCountAsSelected() {
        // as Meltano: nothing forces selected: true on automatic nodes; taps and Meltano read inclusion first
        ObjectNode out = CatalogSelection.apply(catalog("CATALOG"), List.of("UniqueEntitiesName.code"));

        JsonNode id = entry(out, STREAM, bc("id"));
        assertThat(id.at("/metadata/selected").asBoolean(true)).isFalse();
        assertThat(SelectionType.of(id)).isEqualTo(SelectionType.AUTOMATIC);
        assertThat(CatalogSelection.selectedProperties(out).get(STREAM)).contains("id", "code");
    }

    @Test
    void unsupportedNodeIsNeverSetSelectedAndSelectedIsWrittenOnTheStream() {
        // MetadataExecutor.set_metadata's guard, and its underscored stream keys (V13, MD5)
        ObjectNode out = CatalogSelection.apply(catalog("CATALOG"), List.of("*.*"));

        assertThat(entry(out, STREAM, bc("unsupported")).at("/metadata/selected").asBoolean()).isFalse();
        assertThat(out.at("/streams/0/selected").asBoolean()).isTrue();
        assertThat(entry(out, STREAM, bc("payload", "hash")).at("/metadata/selected").asBoolean()).isTrue();
    }

    @Test
    void deselectedStreamIsDeselectedOnItsNodeAndOnTheStreamObject() {
        ObjectNode out = CatalogSelection.apply(catalog("CATALOG"), List.of("OtherStream.*"));

        assertThat(CatalogSelection.selectedStreams(out)).isEmpty();
        assertThat(streamMetadata(out, "selected").asBoolean(true)).isFalse();
        assertThat(out.at("/streams/0/selected").asBoolean(true)).isFalse();
    }

    @Test
    void applyNeverChangesTheCatalogItIsGiven() {
        ObjectNode discovered = catalog("JSON_SCHEMA");

        CatalogSelection.apply(discovered, List.of(new SchemaRule(new CatalogRule("*", bc("id"), false),
                (ObjectNode) json("{\"type\": \"string\"}"))), List.of("*.*"), List.of(), List.of("!x"));

        assertThat(discovered).isEqualTo(catalog("JSON_SCHEMA"));
    }
}
