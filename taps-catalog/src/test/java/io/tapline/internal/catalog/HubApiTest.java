package io.tapline.internal.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Definitions from the Hub API when {@code hub_url}/{@code hub_api_root} is set: a local server
 * (WireMock, standing in for the third-party Hub) serves the repo's copy of Hub definitions the
 * way the Hub's API does.
 */
class HubApiTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path SAMPLE = Path.of("src/test/resources/hub-sample");
    private static final String API = "/meltano/api/v1";

    private WireMockServer hub;
    private JsonNode defaults;

    @BeforeEach
    void serveTheSnapshotCopy() throws Exception {
        hub = new WireMockServer(options().dynamicPort());
        hub.start();
        defaults = YAML.readTree(SAMPLE.resolve("default_variants.yml").toFile());
        try (Stream<Path> types = Files.list(SAMPLE.resolve("meltano"))) {
            for (Path type : types.toList()) {
                ObjectNode index = YAML.createObjectNode();
                try (Stream<Path> files = Files.walk(type)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                        JsonNode d = YAML.readTree(f.toFile());
                        String name = d.path("name").asText();
                        String variant = d.path("variant").asText();
                        String path = API + "/plugins/" + type.getFileName() + "/" + name + "--" + variant;
                        hub.stubFor(get(urlEqualTo(path)).willReturn(okJson(d.toString())));
                        ObjectNode entry = index.has(name) ? (ObjectNode) index.get(name) : index.putObject(name);
                        entry.put("default_variant", defaults.path(type.getFileName().toString()).path(name).asText(variant));
                        ObjectNode variants = entry.has("variants") ? (ObjectNode) entry.get("variants") : entry.putObject("variants");
                        variants.putObject(variant).put("ref", hub.baseUrl() + path);
                    }
                }
                hub.stubFor(get(urlEqualTo(API + "/plugins/" + type.getFileName() + "/index"))
                        .willReturn(okJson(index.toString())));
            }
        }
    }

    @AfterEach
    void stop() {
        hub.stop();
    }

    private static JsonNode sample(String type, String name, String variant) throws Exception {
        return YAML.readTree(SAMPLE.resolve("meltano").resolve(type).resolve(name).resolve(variant + ".yml").toFile());
    }

    @Test
    void nameAloneTakesTheHubsDefaultVariantFromItsApi() throws Exception {
        PluginCatalog catalog = PluginCatalog.bundled().withHub(Optional.empty(), Optional.of(hub.baseUrl()));
        String variant = defaults.path("extractors").path("tap-github").asText();
        PluginDefinition p = catalog.find(PluginType.EXTRACTORS, "tap-github", Optional.empty()).orElseThrow();
        JsonNode served = sample("extractors", "tap-github", variant);
        assertThat(p.variant()).isEqualTo(variant);
        assertThat(p.pipUrl()).contains(served.path("pip_url").asText());
        assertThat(p.settings()).hasSize(served.path("settings").size());
        hub.verify(getRequestedFor(urlEqualTo(API + "/plugins/extractors/index")));
        hub.verify(getRequestedFor(urlEqualTo(API + "/plugins/extractors/tap-github--" + variant)));
    }

    @Test
    void hubApiRootWinsOverHubUrlAndEachAnswerIsAskedOnce() throws Exception {
        PluginCatalog catalog = PluginCatalog.bundled().withHub(Optional.of(hub.baseUrl() + API),
                Optional.of("http://127.0.0.1:1/not-this-one"));
        for (int i = 0; i < 3; i++) {
            assertThat(catalog.find(CatalogType.UTILITIES, "dbt-athena", Optional.of("dbt-athena"))).isPresent();
        }
        hub.verify(1, getRequestedFor(urlEqualTo(API + "/plugins/utilities/dbt-athena--dbt-athena")));
    }

    @Test
    void pluginOnlyTheHubListsIsFoundThere() throws Exception {
        ObjectNode renamed = ((ObjectNode) sample("extractors", "tap-csv", "meltanolabs")).put("name", "tap-csv-newer");
        hub.stubFor(get(urlEqualTo(API + "/plugins/extractors/tap-csv-newer--meltanolabs")).willReturn(okJson(renamed.toString())));
        PluginCatalog catalog = PluginCatalog.bundled().withHub(Optional.empty(), Optional.of(hub.baseUrl()));
        assertThat(PluginCatalog.bundled().find(PluginType.EXTRACTORS, "tap-csv-newer", Optional.of("meltanolabs"))).isEmpty();
        assertThat(catalog.find(PluginType.EXTRACTORS, "tap-csv-newer", Optional.of("meltanolabs")))
                .map(PluginDefinition::pipUrl).contains(Optional.of(renamed.path("pip_url").asText()));
    }

    @Test
    void taplinesOwnTargetsNeverComeFromTheHub() {
        PluginCatalog catalog = PluginCatalog.bundled().withHub(Optional.empty(), Optional.of(hub.baseUrl()));
        PluginDefinition p = catalog.find(PluginType.LOADERS, "target-jsonl", Optional.empty()).orElseThrow();
        assertThat(p.builtin()).isTrue();
        hub.verify(0, getRequestedFor(urlMatching(".*target-jsonl.*")));
    }

    @Test
    void unreachableHubFallsBackToTheBundledCatalog() {
        String base = hub.baseUrl();
        hub.stop();
        PluginCatalog catalog = PluginCatalog.bundled().withHub(Optional.empty(), Optional.of(base));
        assertThat(catalog.find(PluginType.EXTRACTORS, "tap-github", Optional.empty()))
                .isEqualTo(PluginCatalog.bundled().find(PluginType.EXTRACTORS, "tap-github", Optional.empty()));
    }

    @Test
    void failingHubFallsBackToTheBundledCatalog() {
        hub.resetAll();
        hub.stubFor(get(urlMatching(".*")).willReturn(aResponse().withStatus(503)));
        PluginCatalog catalog = PluginCatalog.bundled().withHub(Optional.empty(), Optional.of(hub.baseUrl()));
        assertThat(catalog.find(PluginType.LOADERS, "target-duckdb", Optional.of("jwills")))
                .isEqualTo(PluginCatalog.bundled().find(PluginType.LOADERS, "target-duckdb", Optional.of("jwills")));
    }

    @Test
    void withoutHubSettingsTheCatalogIsTheBundledOne() {
        PluginCatalog bundled = PluginCatalog.bundled();
        assertThat(bundled.withHub(Optional.empty(), Optional.of(" "))).isSameAs(bundled);
    }
}
