package io.tapline.internal.protocol.catalog;

import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.bc;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tapline.spi.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CASES.md 1.3-1.5: the rules Meltano's {@code select_metadata_rules} and
 * {@code select_filter_metadata_rules} produce ({@code test_catalog.py::TestMetadataRule},
 * {@code ::TestCatalogSelectVisitor}), and {@code config_metadata_rules} for the {@code metadata} extra.
 */
class MetadataRuleTest {

    /** A target: stream, and a breadcrumb or {@code null} for "stream level, breadcrumb not considered". */
    private record Target(String stream, List<String> breadcrumb) {
        @Override public String toString() { return stream + (breadcrumb == null ? "" : breadcrumb.toString()); }
    }

    private static Target stream(String s) { return new Target(s, null); }

    private static Target prop(String s, String... props) { return new Target(s, bc(props)); }

    private static boolean selectedByAnyRule(List<MetadataRule> rules, Target t) {
        return rules.stream().anyMatch(r -> (t.breadcrumb() == null ? r.target().matches(t.stream())
                : r.matches(t.stream(), t.breadcrumb())) && r.key().equals("selected") && r.value().asBoolean());
    }

    static Stream<Arguments> selectCases() {
        return Stream.of(
                Arguments.of("M1", List.of("my_stream.*"), List.of(stream("my_stream"), prop("my_stream", "prop"))),
                Arguments.of("M2", List.of("my_stream"), List.of(stream("my_stream"), prop("my_stream", "prop"))),
                Arguments.of("M3", List.of("my\\.stream.*"), List.of(stream("my.stream"), prop("my.stream", "prop"))),
                Arguments.of("M4", List.of("my_stream.prop.*"),
                        List.of(stream("my_stream"), prop("my_stream", "prop", "sub_prop"))),
                Arguments.of("M5", List.of("my_stream.prop.sub_prop"),
                        List.of(stream("my_stream"), prop("my_stream", "prop", "sub_prop"))),
                Arguments.of("M6", List.of("my_stream.prop.sub_prop"), List.of(stream("my_stream"),
                        prop("my_stream", "prop"), prop("my_stream", "prop", "sub_prop"))),
                Arguments.of("M8", List.of("my_stream.prop.*"), List.of(stream("my_stream"),
                        prop("my_stream", "prop"), prop("my_stream", "prop", "sub_prop"))),
                Arguments.of("M9", List.of("my_stream.prop.*.*"), List.of(stream("my_stream"),
                        prop("my_stream", "prop"), prop("my_stream", "prop", "sub_prop"),
                        prop("my_stream", "prop", "sub_prop", "sub_sub_prop"))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("selectCases")
    void selectPatternSelectsTheStreamTheNamedPropertiesAndTheirParents(String id, List<String> patterns,
            List<Target> targets) {
        // M1-M6, M8, M9: test_select_metadata_rules_matches
        List<MetadataRule> rules = MetadataRule.forSelect(patterns);

        assertThat(rules).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("selected");
            assertThat(r.value()).isEqualTo(BooleanNode.TRUE);
        });
        assertThat(targets).allMatch(t -> selectedByAnyRule(rules, t));
    }

    @Test
    void selectingOneSubPropertyDoesNotSelectItsSiblings() {
        // M7 is xfail-strict upstream: "all matched" must fail, because sub_prop2 is not selected
        List<MetadataRule> rules = MetadataRule.forSelect(List.of("my_stream.prop.sub_prop1"));

        assertThat(List.of(stream("my_stream"), prop("my_stream", "prop"), prop("my_stream", "prop", "sub_prop1")))
                .allMatch(t -> selectedByAnyRule(rules, t));
        assertThat(selectedByAnyRule(rules, prop("my_stream", "prop", "sub_prop2"))).isFalse();
    }

    // F1-F7: test_select_filter_metadata_rules_matches; true = the stream is deselected
    @ParameterizedTest(name = "{0} {1} on {2}")
    @CsvSource(delimiter = '|', value = {
        "F1 | my_stream          | my_stream    | false",
        "F2 | my_stream          | other_stream | true",
        "F3 | stream_1, stream_2 | stream_1     | false",
        "F4 | stream_1, stream_2 | stream_2     | false",
        "F5 | stream_1, stream_2 | other_stream | true",
        "F6 | !my_stream         | my_stream    | true",
        "F7 | !my_stream         | other_stream | false",
    })
    void selectFilterDeselectsStreamsOutsideItsPatternsAndThoseItNegates(String id, String patterns, String streamId,
            boolean deselected) {
        List<MetadataRule> rules = MetadataRule.forSelectFilter(Arrays.asList(patterns.split(",\\s*")));

        assertThat(rules).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo("selected");
            assertThat(r.value()).isEqualTo(BooleanNode.FALSE);
        });
        assertThat(rules.stream().anyMatch(r -> r.target().matches(streamId))).isEqualTo(deselected);
    }

    @Test
    void streamOnlyPatternGivesTheSameRulesAsStreamStar() { // G1
        List<MetadataRule> stream = MetadataRule.forSelect(List.of("users"));

        assertThat(stream).hasSize(2).isEqualTo(MetadataRule.forSelect(List.of("users.*")));
    }

    @Test
    void streamPropertyPatternSelectsTheStreamAndTheProperty() { // G2
        assertThat(MetadataRule.forSelect(List.of("users.name"))).containsExactly(
                selected("users", List.of(), true), selected("users", List.of("properties", "name"), true));
    }

    @Test
    void selectFilterGroupsPlainPatternsInANegatedRuleAndBangPatternsInAPlainOne() { // G3
        List<MetadataRule> rules = MetadataRule.forSelectFilter(List.of("users", "!admins"));

        assertThat(rules).containsExactly(
                new MetadataRule(new CatalogRule(List.of("users"), List.of(), true), "selected", BooleanNode.FALSE),
                new MetadataRule(new CatalogRule(List.of("admins"), List.of(), false), "selected", BooleanNode.FALSE));
    }

    @Test
    void selectTouchesPropertiesWhereSelectFilterTouchesOnlyTheStreamNode() { // G4, G5
        assertThat(MetadataRule.forSelect(List.of("users")))
                .extracting(r -> r.target().breadcrumb())
                .containsExactly(List.of(), List.of("properties", "*"));
        assertThat(MetadataRule.forSelectFilter(List.of("users"))).singleElement().satisfies(r -> {
            assertThat(r.target().streamPatterns()).containsExactly("users");
            assertThat(r.target().breadcrumb()).isEmpty();
            assertThat(r.target().negated()).isTrue();
        });
    }

    @Test
    void selectFilterLeavesPropertySelectionsAlone() { // G6
        assertThat(MetadataRule.forSelect(List.of("users.name", "users.email"))).hasSize(4);
        assertThat(MetadataRule.forSelectFilter(List.of("users")))
                .singleElement().satisfies(r -> assertThat(r.target().breadcrumb()).isEmpty());
    }

    @Test
    void nestedPropertyPatternsSelectEachParentAndNoWildcard() { // G7
        List<MetadataRule> rules = MetadataRule.forSelect(List.of(
                "users.address", "users.address.city", "users.address.geo.lat", "orders.items.product.sku"));

        assertThat(rules).hasSize(13);
        assertThat(rules).filteredOn(r -> r.target().streamPatterns().equals(List.of("users"))
                && r.target().breadcrumb().contains("address")).hasSize(6);
        assertThat(rules).filteredOn(r -> r.target().breadcrumb().equals(bc("address"))).hasSize(3);
        assertThat(rules).filteredOn(r -> r.target().breadcrumb().equals(bc("address", "city"))).hasSize(1);
        assertThat(rules).filteredOn(r -> r.target().breadcrumb().equals(bc("address", "geo", "lat")))
                .singleElement().satisfies(r -> assertThat(r.target().streamPatterns()).containsExactly("users"));
        assertThat(rules).filteredOn(r -> r.target().breadcrumb().equals(bc("items", "product", "sku")))
                .singleElement().satisfies(r -> assertThat(r.target().streamPatterns()).containsExactly("orders"));
        assertThat(rules).noneMatch(r -> String.join(".", r.target().breadcrumb()).contains("*"));
    }

    @Test
    void negatedPatternOnlyEmitsStreamRuleWhenPropertyIsStar() {
        // 1.5 source fact: "A negated pattern emits a stream-level rule only if its property part is *"
        assertThat(MetadataRule.forSelect(List.of("!users.id"))).containsExactly(
                selected("users", bc("id"), false));
        assertThat(MetadataRule.forSelect(List.of("!users.*"))).containsExactly(
                selected("users", List.of(), false), selected("users", bc("*"), false));
        assertThat(MetadataRule.forSelect(List.of("!users"))).containsExactly(
                selected("users", List.of(), false), selected("users", bc("*"), false));
        assertThat(MetadataRule.forSelect(List.of("!users.address.city"))) // no parents for an exclusion
                .containsExactly(selected("users", bc("address", "city"), false));
    }

    @Test
    void negatedPatternsComeAfterEveryPositiveOneWhateverTheListOrder() {
        // 1.5 source fact: select_metadata_rules returns include_rules + exclude_rules
        assertThat(MetadataRule.forSelect(List.of("!users.id", "users.*", "!orders", "orders.total")))
                .extracting(r -> r.value().asBoolean())
                .containsExactly(true, true, true, true, false, false, false);
    }

    @Test
    void parentRulesFollowTheFullPropertyRuleAsInMeltano() {
        // select_metadata_rules appends props[:idx] for idx > 0 after the rule for the whole path
        assertThat(MetadataRule.forSelect(List.of("s.a.b.c"))).extracting(r -> r.target().breadcrumb())
                .containsExactly(List.of(), bc("a", "b", "c"), bc("a"), bc("a", "b"));
    }

    @Test
    void metadataExtraIsFlattenedToStreamPropertiesAndKey() {
        // the _metadata of T4 (test_tap.py::test_apply_catalog_rules), as meltano.yml's metadata extra
        List<MetadataRule> rules = MetadataRule.forMetadata(json("""
                {"UniqueEntitiesName": {"replication-key": "created_at"},
                 "UniqueEntitiesName.created_at": {"is-replication-key": true},
                 "UniqueEntitiesName.payload.hash.custom-metadata": "custom-value"}
                """));

        assertThat(rules).containsExactly(
                new MetadataRule("UniqueEntitiesName", List.of(), "replication-key", TextNode.valueOf("created_at"), false),
                new MetadataRule("UniqueEntitiesName", bc("created_at"), "is-replication-key", BooleanNode.TRUE, false),
                new MetadataRule("UniqueEntitiesName", bc("payload", "hash"), "custom-metadata",
                        TextNode.valueOf("custom-value"), false));
    }

    @Test
    void metadataExtraNestedAnyDepthGivesTheSameRulesAsDottedKeys() {
        // config_metadata_rules flattens with flatten_dict: only leaves are values, lists included
        List<MetadataRule> nested = MetadataRule.forMetadata(json("""
                {"users": {"table-key-properties": ["id"], "address": {"city": {"custom": "x"}}, "empty": {}}}
                """));

        assertThat(nested).isEqualTo(MetadataRule.forMetadata(json("""
                {"users.table-key-properties": ["id"], "users.address.city.custom": "x"}
                """)));
        assertThat(nested.get(1).target().breadcrumb()).isEqualTo(bc("address", "city"));
    }

    @Test
    void metadataKeyWithoutStreamIsRejectedNamingTheKey() {
        assertThatThrownBy(() -> MetadataRule.forMetadata(json("{\"replication-key\": \"id\"}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'replication-key'");
    }

    @Test
    void escapedDotKeepsADottedStreamNameInTheMetadataExtra() {
        // tapline's extension: Meltano splits on every dot
        assertThat(MetadataRule.forMetadata(json("{\"my\\\\.stream\": {\"replication-key\": \"id\"}}")))
                .containsExactly(new MetadataRule("my.stream", List.of(), "replication-key", TextNode.valueOf("id"), false));
    }

    private static MetadataRule selected(String stream, List<String> breadcrumb, boolean value) {
        return new MetadataRule(stream, new ArrayList<>(breadcrumb), "selected", BooleanNode.valueOf(value), false);
    }
}
