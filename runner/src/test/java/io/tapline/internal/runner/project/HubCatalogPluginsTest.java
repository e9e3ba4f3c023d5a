package io.tapline.internal.runner.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginDefinition;
import io.tapline.internal.catalog.PluginType;
import io.tapline.internal.catalog.SettingDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** meltano.yml plugins taking their definition from the bundled Hub catalog, as Meltano takes it from the Hub. */
class HubCatalogPluginsTest {
    @TempDir Path dir;
    private final PluginCatalog catalog = PluginCatalog.bundled();

    private ProjectConfig load(String yaml) throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), yaml);
        return ProjectFile.load(dir.resolve("meltano.yml"), Map.of(), catalog);
    }

    @Test
    void nameAloneTakesTheHubsDefaultVariantWithItsPipUrlNamespaceAndSettingDefaults() throws Exception {
        PluginDefinition hub = catalog.find(PluginType.EXTRACTORS, "tap-csv", Optional.empty()).orElseThrow();
        PluginConfig tap = load("""
                plugins:
                  extractors:
                    - name: tap-csv
                """).plugin(PluginType.EXTRACTORS, "tap-csv");
        assertThat(tap.variant()).contains(hub.variant());
        assertThat(tap.pipUrl()).isEqualTo(hub.pipUrl());
        assertThat(tap.namespace()).isEqualTo(hub.namespace().orElseThrow());
        assertThat(tap.executable()).isEqualTo(hub.executable().orElse("tap-csv"));
        assertThat(tap.capabilities()).isEqualTo(hub.capabilities());
        for (SettingDefinition s : hub.settings()) {
            PluginSettings.Value v = tap.settings().get(s.name()).orElseThrow();
            assertThat(v.spec().kind()).isEqualTo(s.kind());
            assertThat(v.spec().sensitive()).isEqualTo(s.sensitive());
            assertThat(v.value()).isEqualTo(s.defaultValue());
        }
    }

    @Test
    void hubSelectDefaultsBecomeTheExtractorsSelect() throws Exception {
        PluginDefinition hub = catalog.find(PluginType.EXTRACTORS, "tap-github", Optional.of("meltanolabs")).orElseThrow();
        assertThat(hub.select()).isNotEmpty();
        PluginConfig tap = load("""
                plugins:
                  extractors:
                    - name: tap-github
                      variant: meltanolabs
                      pip_url: meltanolabs-tap-github
                """).plugin(PluginType.EXTRACTORS, "tap-github");
        assertThat(tap.select()).isEqualTo(hub.select());
    }

    @Test
    void customPluginWithItsOwnExecutableRunsAsGivenAndIsNeverInstalledFromTheCatalog() throws Exception {
        PluginDefinition hub = catalog.find(PluginType.LOADERS, "target-jsonl", Optional.of("andyh1203")).orElseThrow();
        assertThat(hub.pipUrl()).isPresent();
        ProjectConfig project = load("""
                plugins:
                  loaders:
                    - name: target-jsonl
                      namespace: target_jsonl
                      executable: /opt/bin/my-target-jsonl
                      settings:
                        - name: destination_path
                    - name: target-csv
                      namespace: my_csv
                """);
        PluginConfig custom = project.plugin(PluginType.LOADERS, "target-jsonl");
        assertThat(custom.pipUrl()).isEmpty();
        assertThat(custom.builtin()).isFalse();
        assertThat(custom.executable()).isEqualTo("/opt/bin/my-target-jsonl");
        // only its own settings: none of the catalog definition's
        assertThat(custom.settings().values()).filteredOn(v -> !v.extra()).extracting(v -> v.spec().name())
                .containsExactly("destination_path");
        PluginConfig namespaceOnly = project.plugin(PluginType.LOADERS, "target-csv");
        assertThat(namespaceOnly.pipUrl()).isEmpty();
        assertThat(namespaceOnly.executable()).isEqualTo("target-csv");
        assertThat(namespaceOnly.namespace()).isEqualTo("my_csv");
    }

    @Test
    void pluginWithItsOwnPipUrlStillTakesTheCatalogsSettings() throws Exception {
        PluginDefinition hub = catalog.find(PluginType.LOADERS, "target-jsonl", Optional.of("andyh1203")).orElseThrow();
        PluginConfig p = load("""
                plugins:
                  loaders:
                    - name: target-jsonl
                      variant: andyh1203
                      namespace: target_jsonl
                      pip_url: target-jsonl==0.1.4
                """).plugin(PluginType.LOADERS, "target-jsonl");
        assertThat(p.settings().values()).extracting(v -> v.spec().name())
                .containsAll(hub.settings().stream().map(SettingDefinition::name).toList());
    }

    @Test
    void taplinesTargetsAreTheDefaultForANameAloneAndTheHubsVariantWhenNamed() throws Exception {
        ProjectConfig project = load("""
                plugins:
                  loaders:
                    - name: target-parquet
                    - name: target-duckdb
                      variant: meltanolabs
                """);
        PluginConfig own = project.plugin(PluginType.LOADERS, "target-parquet");
        assertThat(own.builtin()).isTrue();
        assertThat(own.variant()).contains("tapline");
        PluginConfig hub = project.plugin(PluginType.LOADERS, "target-duckdb");
        assertThat(hub.builtin()).isFalse();
        assertThat(hub.pipUrl()).isEqualTo(catalog.find(PluginType.LOADERS, "target-duckdb", Optional.of("meltanolabs"))
                .orElseThrow().pipUrl());
    }
}
