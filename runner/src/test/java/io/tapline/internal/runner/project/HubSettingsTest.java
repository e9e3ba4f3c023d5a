package io.tapline.internal.runner.project;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Meltano's {@code hub_api_root}/{@code hub_url} in meltano.yml (or MELTANO_HUB_*): definitions from that Hub (WireMock). */
class HubSettingsTest {
    private static final String API = "/meltano/api/v1";
    @TempDir Path dir;
    private WireMockServer hub;
    private ObjectNode served;

    @BeforeEach
    void serveOneDefinition() {
        hub = new WireMockServer(options().dynamicPort());
        hub.start();
        ObjectMapper json = new ObjectMapper();
        served = json.createObjectNode().put("name", "tap-inhouse").put("variant", "acme")
                .put("namespace", "tap_inhouse").put("pip_url", "tap-inhouse==2.0");
        served.putArray("settings").addObject().put("name", "batch_size").put("kind", "integer").put("value", 500);
        ObjectNode index = json.createObjectNode();
        index.putObject("tap-inhouse").put("default_variant", "acme");
        hub.stubFor(get(urlEqualTo(API + "/plugins/extractors/index")).willReturn(okJson(index.toString())));
        hub.stubFor(get(urlEqualTo(API + "/plugins/extractors/tap-inhouse--acme")).willReturn(okJson(served.toString())));
    }

    @AfterEach
    void stop() {
        hub.stop();
    }

    private PluginConfig tap(String hubLine, Map<String, String> env, String name) throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), hubLine + "\nplugins:\n  extractors:\n    - name: " + name + "\n");
        return ProjectFile.load(dir.resolve("meltano.yml"), env, PluginCatalog.bundled()).plugin(PluginType.EXTRACTORS, name);
    }

    @Test
    void hubApiRootInMeltanoYmlServesDefinitions() throws Exception {
        PluginConfig p = tap("hub_api_root: " + hub.baseUrl() + API, Map.of(), "tap-inhouse");
        assertThat(p.variant()).contains("acme");
        assertThat(p.pipUrl()).contains(served.path("pip_url").asText());
        assertThat(p.settings().get("batch_size").orElseThrow().value().orElseThrow().asInt())
                .isEqualTo(served.at("/settings/0/value").asInt());
    }

    @Test
    void hubUrlFromTheEnvironmentServesDefinitions() throws Exception {
        PluginConfig p = tap("", Map.of("MELTANO_HUB_URL", hub.baseUrl()), "tap-inhouse");
        assertThat(p.pipUrl()).contains(served.path("pip_url").asText());
    }

    @Test
    void unreachableHubFallsBackToTheBundledCatalog() throws Exception {
        String base = hub.baseUrl();
        hub.stop();
        PluginConfig p = tap("hub_url: " + base, Map.of(), "tap-csv");
        assertThat(p.pipUrl()).isEqualTo(PluginCatalog.bundled().find(PluginType.EXTRACTORS, "tap-csv", Optional.empty())
                .orElseThrow().pipUrl());
    }
}
