package io.tapline.internal.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("src/test/resources/hub-sample");

    private static JsonNode committed() throws Exception {
        try (InputStream in = new GZIPInputStream(PluginCatalog.class.getResourceAsStream(PluginCatalog.HUB_RESOURCE))) {
            return JSON.readTree(in);
        }
    }

    @Test
    void bundledCatalogHoldsEveryHubDefinitionOfEveryType() throws Exception {
        JsonNode hub = committed();
        PluginCatalog catalog = PluginCatalog.bundled();
        assertThat(hub.path("plugins").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(CatalogType.values()).map(CatalogType::key).toList());
        for (CatalogType type : CatalogType.values()) {
            JsonNode defs = hub.path("plugins").path(type.key());
            assertThat(defs.size()).as(type.key()).isPositive();
            for (JsonNode d : defs) {
                PluginDefinition p = catalog.find(type, d.path("name").asText(), Optional.of(d.path("variant").asText()))
                        .orElseThrow(() -> new AssertionError(type.key() + " " + d));
                assertThat(p.settings()).hasSize(d.path("settings").size());
            }
        }
        long tapline = catalog.all().stream().filter(p -> p.variant().equals("tapline")).count();
        long hubTotal = hub.path("plugins").properties().stream().mapToLong(e -> e.getValue().size()).sum();
        // tapline's own additions are its three targets plus the entries it adds (not on the Hub)
        assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo((int) (hubTotal + tapline));
    }

    @Test
    void committedCatalogHoldsStructuredFactsOnly() throws Exception {
        for (JsonNode defs : committed().path("plugins")) {
            for (JsonNode d : defs) {
                assertThat(d.properties()).extracting(Map.Entry::getKey).allMatch(k -> k.equals("name")
                        || k.equals("variant") || k.equals("settings") || HubCatalogGenerator.PLUGIN_FIELDS.contains(k));
                for (JsonNode s : d.path("settings")) {
                    assertThat(s.properties()).extracting(Map.Entry::getKey)
                            .allMatch(HubCatalogGenerator.SETTING_FIELDS::contains);
                }
            }
        }
    }

    @Test
    void committedCatalogMatchesWhatTheGeneratorMakesOfTheSnapshotCopy(@TempDir Path out) throws Exception {
        ObjectNode sample = HubCatalogGenerator.generate(SAMPLE);
        HubCatalogGenerator.write(sample, out);
        JsonNode regenerated;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(out.resolve(PluginCatalog.HUB_RESOURCE)))) {
            regenerated = JSON.readTree(in);
        }
        JsonNode hub = committed();
        int compared = 0;
        for (Map.Entry<String, JsonNode> type : regenerated.path("plugins").properties()) {
            for (JsonNode d : type.getValue()) {
                JsonNode same = null;
                for (JsonNode c : hub.path("plugins").path(type.getKey())) {
                    if (c.path("name").equals(d.path("name")) && c.path("variant").equals(d.path("variant"))) {
                        same = c;
                    }
                }
                assertThat(same).as(type.getKey() + " " + d.path("name")).isEqualTo(d);
                compared++;
            }
            for (Map.Entry<String, JsonNode> dv : regenerated.path("default_variants").path(type.getKey()).properties()) {
                assertThat(hub.path("default_variants").path(type.getKey()).path(dv.getKey())).isEqualTo(dv.getValue());
            }
        }
        try (var files = Files.walk(SAMPLE.resolve("meltano"))) {
            assertThat(compared).isEqualTo(files.filter(p -> p.toString().endsWith(".yml")).count());
        }
    }

    @Test
    void hubDefinitionKeepsSettingsDefaultsSensitivityAndSelect() throws Exception {
        PluginCatalog catalog = PluginCatalog.bundled();
        for (Path file : List.of(SAMPLE.resolve("meltano/extractors/tap-github/meltanolabs.yml"),
                SAMPLE.resolve("meltano/loaders/target-jsonl/andyh1203.yml"))) {
            JsonNode yml = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            CatalogType type = CatalogType.fromKey(file.getParent().getParent().getFileName().toString()).orElseThrow();
            PluginDefinition p = catalog.find(type, yml.path("name").asText(), Optional.of(yml.path("variant").asText()))
                    .orElseThrow();
            assertThat(p.namespace()).contains(yml.path("namespace").asText());
            assertThat(p.capabilities()).hasSize(yml.path("capabilities").size());
            assertThat(p.select()).hasSize(yml.path("select").size());
            Map<String, SettingDefinition> byName = new HashMap<>();
            p.settings().forEach(s -> byName.put(s.name(), s));
            for (JsonNode s : yml.path("settings")) {
                SettingDefinition d = byName.get(s.path("name").asText());
                assertThat(d.kind()).isEqualTo(s.path("kind").asText("string"));
                assertThat(d.sensitive()).isEqualTo(s.path("sensitive").asBoolean() || "password".equals(d.kind()));
                assertThat(d.defaultValue().orElse(null)).isEqualTo(s.hasNonNull("value") ? s.get("value") : null);
            }
        }
    }

    @Test
    void nameAloneResolvesToTheHubDefaultVariant() throws Exception {
        JsonNode defaults = committed().path("default_variants");
        PluginCatalog catalog = PluginCatalog.bundled();
        for (CatalogType type : List.of(CatalogType.EXTRACTORS, CatalogType.MAPPERS, CatalogType.UTILITIES)) {
            // (a few of the Hub's defaults name definitions the Hub no longer has)
            defaults.path(type.key()).properties().stream()
                    .filter(e -> !catalog.variants(type, e.getKey()).isEmpty()).forEach(e ->
                    assertThat(catalog.find(type, e.getKey(), Optional.empty())).map(PluginDefinition::variant)
                            .as(e.getKey()).contains(e.getValue().asText()));
        }
    }

    @Test
    void taplinesOwnTargetsAreVariantsMergedIntoTheHubsAndTheirDefault() throws Exception {
        JsonNode hub = committed();
        PluginCatalog catalog = PluginCatalog.bundled();
        for (String name : List.of("target-duckdb", "target-parquet", "target-jsonl")) {
            PluginDefinition dflt = catalog.find(PluginType.LOADERS, name, Optional.empty()).orElseThrow();
            assertThat(dflt.variant()).isEqualTo("tapline");
            assertThat(dflt.builtin()).isTrue();
            assertThat(dflt.pipUrl()).isEmpty();
            List<PluginDefinition> variants = catalog.variants(CatalogType.LOADERS, name);
            assertThat(variants.get(0).variant()).isEqualTo("tapline");
            String hubDefault = hub.path("default_variants").path("loaders").path(name).asText();
            assertThat(variants).extracting(PluginDefinition::variant).contains(hubDefault);
            assertThat(catalog.find(PluginType.LOADERS, name, Optional.of(hubDefault)).orElseThrow().builtin()).isFalse();
        }
    }

    @Test
    void taplinesPinnedPipUrlReplacesTheHubsAndKeepsItsSettings() throws Exception {
        JsonNode hubDef = null;
        for (JsonNode d : committed().path("plugins").path("extractors")) {
            if (d.path("name").asText().equals("tap-postgres") && d.path("variant").asText().equals("meltanolabs")) {
                hubDef = d;
            }
        }
        PluginDefinition p = PluginCatalog.bundled().find(PluginType.EXTRACTORS, "tap-postgres", Optional.of("meltanolabs"))
                .orElseThrow();
        assertThat(p.pipUrl().orElseThrow()).startsWith(hubDef.path("pip_url").asText() + "==");
        assertThat(p.settings()).hasSize(hubDef.path("settings").size());
    }

    @Test
    void unknownVariantIsNotAnotherVariant() {
        assertThat(PluginCatalog.bundled().find(PluginType.LOADERS, "target-jsonl", Optional.of("no-such-variant"))).isEmpty();
    }

    @Test
    void searchMatchesNamesNamespacesAndCapabilities() {
        PluginCatalog catalog = PluginCatalog.bundled();
        List<PluginDefinition> jsonl = catalog.search("JSONL");
        assertThat(jsonl).isNotEmpty().allMatch(p -> (p.name() + p.variant() + p.namespace().orElse("")
                + String.join(" ", p.capabilities())).toLowerCase().contains("jsonl"));
        assertThat(jsonl).extracting(PluginDefinition::name).contains("target-jsonl");
        long withCapability = catalog.all().stream().filter(p -> p.capabilities().contains("log-based")).count();
        assertThat(catalog.search("log-based")).hasSizeGreaterThanOrEqualTo((int) withCapability);
    }

    @Test
    void catalogIsReadOncePerInstanceAndOnlyWhenAsked() {
        int[] reads = {0};
        ObjectNode hub = JSON.createObjectNode();
        hub.putObject("plugins").putArray("extractors").addObject().put("name", "tap-x").put("variant", "v");
        PluginCatalog catalog = new PluginCatalog(() -> {
            reads[0]++;
            return new JsonNode[] {hub, JSON.createObjectNode()};
        });
        assertThat(reads[0]).isZero();
        catalog.find(PluginType.EXTRACTORS, "tap-x", Optional.empty());
        catalog.search("x");
        assertThat(reads[0]).isEqualTo(1);
        assertThat(catalog.find(PluginType.EXTRACTORS, "tap-x", Optional.empty())).map(PluginDefinition::variant).contains("v");
    }
}
