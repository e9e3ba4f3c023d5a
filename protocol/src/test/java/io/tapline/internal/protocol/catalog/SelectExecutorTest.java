package io.tapline.internal.protocol.catalog;

import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.bc;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.catalog;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.catalogProperties;
import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CASES.md 1.6 and 1.8: Meltano's {@code SelectExecutor} visited over its fixture catalogs, then
 * {@code ListSelectedExecutor().selected_properties}. As upstream, only the {@code select} rules are
 * applied here, without the "deselect everything" rule {@code apply} puts first, so
 * {@code selected-by-default} still counts.
 */
class SelectExecutorTest {
    private static final List<String> V1_PATTERNS =
            List.of("UniqueEntitiesName.code", "UniqueEntitiesName.name", "*.payload.content");
    private static final List<String> V3_PATTERNS =
            List.of("Unique\\.Entities\\.Name.code", "Unique\\.Entities\\.Name.name", "*.payload.content");
    private static final List<String> V5_PATTERNS = List.of("*.*", "!UniqueEntitiesName.code",
            "!UniqueEntitiesName.name", "!*.*.hash", "!*.*.timestamp");
    private static final Set<String> GEO_ALL = Set.of("id", "geo", "geo.city", "geo.state", "geo.state.name",
            "geo.state.code", "geo.country", "geo.country.name", "geo.country.code", "geo.point", "geo.point.lat",
            "geo.point.lon");

    private static Map<String, Set<String>> select(String catalog, List<String> patterns) {
        return CatalogSelection.selectedProperties(
                CatalogSelection.applyMetadataRules(catalog(catalog), MetadataRule.forSelect(patterns)));
    }

    @Test
    void selectedPropertiesAddAutomaticAndSelectedByDefaultOnesButNeverUnsupported() {
        // V1 (test_select, CATALOG)
        assertThat(select("CATALOG", V1_PATTERNS)).containsOnlyKeys("UniqueEntitiesName")
                .containsEntry("UniqueEntitiesName",
                        Set.of("id", "code", "name", "created_at", "payload", "payload.content", "payload.timestamp"));
    }

    @Test
    void schemaWithoutMetadataGetsEveryTopLevelPropertyAsAutomatic() {
        // V2 (test_select, JSON_SCHEMA): CATALOG_PROPERTIES
        assertThat(select("JSON_SCHEMA", V1_PATTERNS))
                .containsEntry("UniqueEntitiesName", Set.copyOf(catalogProperties()));
    }

    @Test
    void escapedDotsSelectAStreamWhoseIdHasDots() {
        // V3 (ESCAPED_CATALOG), V4 (ESCAPED_JSON_SCHEMA): test_select_escaped
        assertThat(select("ESCAPED_CATALOG", V3_PATTERNS)).containsOnlyKeys("Unique.Entities.Name")
                .containsEntry("Unique.Entities.Name",
                        Set.of("id", "code", "name", "created_at", "payload", "payload.content", "payload.timestamp"));
        assertThat(select("ESCAPED_JSON_SCHEMA", V3_PATTERNS))
                .containsEntry("Unique.Entities.Name", Set.copyOf(catalogProperties()));
    }

    @Test
    void negatedPatternsDeselectPropertiesButNotAutomaticOnes() {
        // V5 (CATALOG), V6 (JSON_SCHEMA, whose generated entries are automatic at the top level): test_select_negated
        assertThat(select("CATALOG", V5_PATTERNS)).containsEntry("UniqueEntitiesName",
                Set.of("id", "balance", "created_at", "active", "payload", "payload.content"));
        assertThat(select("JSON_SCHEMA", V5_PATTERNS))
                .containsEntry("UniqueEntitiesName", Set.copyOf(catalogProperties()));
    }

    // V7-V12: test_select_stream_star over test_select_stream_star.catalog.json (metadata only, no schema)
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "V7  | MyStream.*                          | id,name,geo,geo.city,geo.state,geo.state.name,geo.state.code,geo.country,geo.country.name,geo.country.code,geo.point,geo.point.lat,geo.point.lon",
        "V8  | MyStream.geo.*                      | id,geo,geo.city,geo.state,geo.state.name,geo.state.code,geo.country,geo.country.name,geo.country.code,geo.point,geo.point.lat,geo.point.lon",
        "V9  | MyStream.geo.city                   | id,geo,geo.city",
        "V10 | MyStream.geo.point.*                | id,geo,geo.point,geo.point.lat,geo.point.lon",
        "V11 | MyStream.geo.*.*                    | id,geo,geo.city,geo.state,geo.state.name,geo.state.code,geo.country,geo.country.name,geo.country.code,geo.point,geo.point.lat,geo.point.lon",
        "V12 | MyStream.geo.*;!MyStream.geo.*.name  | id,geo,geo.city,geo.state,geo.state.code,geo.country,geo.country.code,geo.point,geo.point.lat,geo.point.lon",
    })
    void propertyPatternSelectsItsSubtreeAndItsParents(String id, String patterns, String expected) {
        assertThat(select("test_select_stream_star.catalog", List.of(patterns.split(";"))))
                .containsOnlyKeys("MyStream")
                .containsEntry("MyStream", Set.of(expected.split(",")));
    }

    @Test
    void subfieldStarMatchesTheSameSetAsFieldStar() {
        // V11 == V8
        assertThat(select("test_select_stream_star.catalog", List.of("MyStream.geo.*.*")))
                .isEqualTo(select("test_select_stream_star.catalog", List.of("MyStream.geo.*")))
                .containsEntry("MyStream", GEO_ALL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LEGACY_CATALOG", "CATALOG", "JSON_SCHEMA"})
    void starStarSelectsEveryStreamAndEverySupportedNodeWithOneStreamEntryEach(String name) {
        // V13: TestLegacyCatalogSelectVisitor::test_visit, TestCatalogSelectVisitor::test_visit / test_select_all
        ObjectNode selected = CatalogSelection.applyMetadataRules(catalog(name), MetadataRule.forSelect(List.of("*.*")));

        assertThat(CatalogSelection.selectedStreams(selected)).containsExactly("UniqueEntitiesName");
        for (JsonNode stream : selected.path("streams")) {
            assertThat(stream.path("metadata")).filteredOn(e -> e.path("breadcrumb").isEmpty()).hasSize(1);
            assertThat(stream.path("metadata")).allSatisfy(e -> {
                JsonNode md = e.path("metadata");
                if (md.path("inclusion").asText().equals("unsupported")) {
                    assertThat(md.path("selected").asBoolean(false)).as("%s", e).isFalse();
                } else {
                    assertThat(md.path("selected").asBoolean(false) || md.path("inclusion").asText().equals("automatic"))
                            .as("%s", e).isTrue();
                }
            });
        }
    }

    @Test
    void missingEntriesAreAutomaticForTheStreamAndTopLevelAndAvailableWhenNested() {
        // the note under V6: how MetadataExecutor.ensure_metadata fills a catalog without metadata
        ObjectNode out = CatalogSelection.applyMetadataRules(catalog("JSON_SCHEMA"), List.of());

        assertThat(entry(out, "UniqueEntitiesName", List.of()).path("metadata").path("inclusion").asText())
                .isEqualTo("automatic");
        assertThat(entry(out, "UniqueEntitiesName", bc("created_at")).path("metadata").path("inclusion").asText())
                .isEqualTo("automatic");
        assertThat(entry(out, "UniqueEntitiesName", bc("payload", "hash")).path("metadata").path("inclusion").asText())
                .isEqualTo("available");
        assertThat(out.path("streams").get(0).path("metadata")).hasSize(1 + 7 + 2); // stream, 7 top-level, 2 nested
    }

    // P1-P5: test_path_property
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "P1 | stream[0].properties.master.properties.details          | master.details",
        "P2 | stream[2].properties.name                               | name",
        "P3 | stream[10].properties.list[2].properties.name           | list[2].name",
        "P4 | stream[0].properties.properties.properties.prop_1       | properties.prop_1",
        "P5 | stream[0].properties.I HAVE SPACES.properties.SPECIAL CHAR % | I HAVE SPACES.SPECIAL CHAR %",
    })
    void propertyPathDropsThePropertiesKeywords(String id, String path, String expected) {
        assertThat(CatalogSelection.pathProperty(path)).isEqualTo(expected);
    }
}
