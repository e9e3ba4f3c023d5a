package io.tapline.internal.protocol.catalog;

import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.bc;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.catalog;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.entry;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.json;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.tapCatalog;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * CASES.md 1.9: the rules {@code SingerTap.apply_catalog_rules} applies, in its order (schema; deselect
 * all; select; metadata; select_filter), and the warnings it logs
 * ({@code test_tap.py::TestSingerTap}).
 */
class ApplyCatalogRulesTest {
    private static final List<String> T_SELECT = List.of("one.one", "three.three", "five.*");

    private static MetadataRule rule(String stream, List<String> props, String key, JsonNode value) {
        return new MetadataRule(stream, bc(props.toArray(String[]::new)), key, value, false);
    }

    private static final JsonNode T = BooleanNode.TRUE;
    private static final JsonNode F = BooleanNode.FALSE;

    @Test
    void defaultSelectDeselectsEverythingThenSelectsEverything() {
        // T1: nothing set, so _select is Meltano's default ["*.*"]
        assertThat(CatalogSelection.rules(List.of("*.*"), List.of(), List.of())).containsExactly(
                rule("*", List.of(), "selected", F), rule("*", List.of("*"), "selected", F),
                rule("*", List.of(), "selected", T), rule("*", List.of("*"), "selected", T));
    }

    @Test
    void selectRulesFollowTheDeselectAllRules() {
        // T2, T3: the select list itself (which of definition and meltano.yml wins is the project loader's job)
        assertThat(CatalogSelection.rules(List.of("UniqueEntitiesName.name"), List.of(), List.of())).containsExactly(
                rule("*", List.of(), "selected", F), rule("*", List.of("*"), "selected", F),
                rule("UniqueEntitiesName", List.of(), "selected", T),
                rule("UniqueEntitiesName", List.of("name"), "selected", T));
        assertThat(CatalogSelection.rules(List.of("UniqueEntitiesName.code"), List.of(), List.of()))
                .endsWith(rule("UniqueEntitiesName", List.of("code"), "selected", T));
    }

    /** T4's _schema as a meltano.yml schema extra: the dotted keys are nested, as nest_object does. */
    private static final String T4_SCHEMA = """
            {"UniqueEntitiesName": {"code": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
             "UniqueEntitiesName.payload.type": "object",
             "UniqueEntitiesName.payload.properties": {"content": {"type": ["string", "null"]}, "hash": {"type": "string"}}}
            """;
    private static final String T4_METADATA = """
            {"UniqueEntitiesName": {"replication-key": "created_at"},
             "UniqueEntitiesName.created_at": {"is-replication-key": true},
             "UniqueEntitiesName.payload.hash.custom-metadata": "custom-value"}
            """;
    private static final List<String> T4_FILTER = List.of("UniqueEntitiesName", "!OtherEntitiesName", "SelectAnother",
            "!ExcludeAnother");

    @Test
    void schemaRulesThenDeselectAllSelectMetadataAndSelectFilterInThatOrder() {
        // T4: test_apply_catalog_rules
        assertThat(SchemaRule.forSchema(json(T4_SCHEMA))).containsExactly(
                new SchemaRule(new CatalogRule("UniqueEntitiesName", bc("code"), false),
                        (ObjectNode) json("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}")),
                new SchemaRule(new CatalogRule("UniqueEntitiesName", bc("payload"), false), (ObjectNode) json("""
                        {"type": "object", "properties": {"content": {"type": ["string", "null"]}, "hash": {"type": "string"}}}
                        """)));
        assertThat(CatalogSelection.rules(List.of("UniqueEntitiesName.code"), MetadataRule.forMetadata(json(T4_METADATA)),
                T4_FILTER)).containsExactly(
                rule("*", List.of(), "selected", F), rule("*", List.of("*"), "selected", F),
                rule("UniqueEntitiesName", List.of(), "selected", T),
                rule("UniqueEntitiesName", List.of("code"), "selected", T),
                rule("UniqueEntitiesName", List.of(), "replication-key", TextNode.valueOf("created_at")),
                rule("UniqueEntitiesName", List.of("created_at"), "is-replication-key", T),
                rule("UniqueEntitiesName", List.of("payload", "hash"), "custom-metadata", TextNode.valueOf("custom-value")),
                new MetadataRule(new CatalogRule(List.of("UniqueEntitiesName", "SelectAnother"), List.of(), true),
                        "selected", F),
                new MetadataRule(new CatalogRule(List.of("OtherEntitiesName", "ExcludeAnother"), List.of(), false),
                        "selected", F));
    }

    @Test
    void allFourExtrasTogetherProduceTheCatalogTheirRulesDescribe() {
        // T4's config applied to CATALOG end to end; the expected values follow from T4's rules (derived)
        ObjectNode out = CatalogSelection.apply(catalog("CATALOG"), SchemaRule.forSchema(json(T4_SCHEMA)),
                List.of("UniqueEntitiesName.code"), MetadataRule.forMetadata(json(T4_METADATA)), T4_FILTER);
        JsonNode stream = out.path("streams").get(0);

        assertThat(stream.at("/schema/properties/code")).isEqualTo(json("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}"));
        assertThat(stream.at("/schema/properties/payload/properties")).isEqualTo(
                json("{\"content\": {\"type\": [\"string\", \"null\"]}, \"hash\": {\"type\": \"string\"}}"));
        assertThat(stream.path("replication_key").asText()).isEqualTo("created_at");
        assertThat(entry(out, "UniqueEntitiesName", bc("created_at")).at("/metadata/is-replication-key").asBoolean()).isTrue();
        assertThat(entry(out, "UniqueEntitiesName", bc("payload", "hash")).at("/metadata/custom-metadata").asText())
                .isEqualTo("custom-value");
        assertThat(CatalogSelection.selectedProperties(out))
                .isEqualTo(Map.of("UniqueEntitiesName", Set.of("id", "code", "created_at")));
    }

    // T6-T15: test_apply_catalog_rules_select_filter; "-" is "select_filter not set"
    @ParameterizedTest(name = "{0} select_filter={1}")
    @CsvSource(delimiter = '|', value = {
        "T6  | -          | one=one;three=one,three;five=one,two,three",
        "T7  | three      | three=one,three",
        "T8  | !three     | one=one;five=one,two,three",
        "T9  | t*         | three=one,three",
        "T10 | !t*        | one=one;five=one,two,three",
        "T11 | three,five | three=one,three;five=one,two,three",
        "T12 | !three,!five | one=one",
        "T13 | t*,f*      | three=one,three;five=one,two,three",
        "T14 | !t*,!f*    | one=one",
        "T15 | *e,!*ee    | one=one;five=one,two,three",
    })
    void selectFilterDeselectsStreamsAfterSelectAndMetadata(String id, String filter, String expected) {
        List<String> selectFilter = filter.equals("-") ? List.of() : Arrays.asList(filter.split(","));

        ObjectNode out = CatalogSelection.apply(tapCatalog("test_apply_catalog_rules_select_filter.base_catalog"),
                T_SELECT, List.of(), selectFilter);

        Map<String, Set<String>> want = new LinkedHashMap<>();
        for (String s : expected.split(";")) {
            String[] kv = s.split("=");
            want.put(kv[0], Set.of(kv[1].split(",")));
        }
        assertThat(CatalogSelection.selectedProperties(out)).isEqualTo(want);
    }

    @Test
    void threeArgumentApplyIsFourArgumentApplyWithAnEmptyFilter() {
        // the overload the runner calls keeps its meaning (T6)
        ObjectNode base = tapCatalog("test_apply_catalog_rules_select_filter.base_catalog");

        assertThat(CatalogSelection.apply(base, T_SELECT, List.of()))
                .isEqualTo(CatalogSelection.apply(base, T_SELECT, List.of(), List.of()))
                .isEqualTo(CatalogSelection.apply(base, List.of(), T_SELECT, List.of(), List.of()));
    }

    // W1-W13: test_warn_property_not_found; "-" is "no output at all"
    @ParameterizedTest(name = "{0} {1} on {2}")
    @CsvSource(delimiter = '|', value = {
        "W1  | bar.*               | empty_properties | Stream `bar` was not found",
        "W2  | foo.*               | empty_stream     | Stream `foo` was not found",
        "W3  | foo.bar             | empty_properties | Property `bar` was not found in the schema of stream `foo`",
        "W4  | foo.spam            | regular_stream   | Property `spam` was not found in the schema of stream `foo`",
        "W5  | foo.bar             | regular_stream   | -",
        "W6  | *.bar               | empty_stream     | -",
        "W7  | zoo.*               | empty_stream     | Stream `zoo` was not found",
        "W8  | foo.*               | regular_stream   | -",
        "W9  | foo.attribute.name  | regular_stream   | -",
        "W10 | foo.attribute.*     | regular_stream   | -",
        "W11 | foo.attribute.email | regular_stream   | Property `attribute.properties.email` was not found in the schema of stream `foo`",
        "W12 | foo*.*              | regular_stream   | -",
        "W13 | foo.ATTRIBUTES.em*  | regular_stream   | Property `ATTRIBUTES.properties.em*` was not found in the schema of stream `foo`",
    })
    void rulesNamingAStreamOrPropertyTheCatalogLacksAreWarnedAbout(String id, String pattern, String fixture,
            String expected) {
        List<String> warnings = CatalogSelection.warnings(tapCatalog("CatalogFixture." + fixture),
                CatalogSelection.rules(List.of(pattern), List.of(), List.of()));

        if (expected.equals("-")) {
            assertThat(warnings).isEmpty();
        } else {
            assertThat(warnings).anyMatch(w -> w.contains(expected));
        }
    }
}
