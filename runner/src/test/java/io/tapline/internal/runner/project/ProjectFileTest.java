package io.tapline.internal.runner.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** meltano.yml reading; expectations from Meltano's tests (testdata/meltano/CASES.md section 2) and docs. */
class ProjectFileTest {
    @TempDir Path dir;

    @Test
    void envVarNameIsUpperCaseWithNonAlphanumericsAsUnderscore() { // E1, E37
        assertThat(ProjectFile.envName("tap-mock") + "_" + ProjectFile.envName("boolean")).isEqualTo("TAP_MOCK_BOOLEAN");
        assertThat(ProjectFile.envName("foo.bar")).isEqualTo("FOO_BAR");
    }

    @Test
    void dollarVariablesExpandInConfigAndPipUrl() throws Exception {
        PluginConfig tap = load("""
                plugins:
                  extractors:
                    - name: tap-x
                      pip_url: tap-x==${VERSION}
                      config: {path: "$DATA_DIR/*.jsonl", nested: {list: ["${DATA_DIR}/a"]}, unset: "x$NOPE"}
                """, Map.of("VERSION", "1.2", "DATA_DIR", "/data"));
        assertThat(tap.pipUrl()).contains("tap-x==1.2");
        assertThat(tap.config().path("path").asText()).isEqualTo("/data/*.jsonl");
        assertThat(tap.config().at("/nested/list/0").asText()).isEqualTo("/data/a");
        assertThat(tap.config().path("unset").asText()).isEqualTo("x");
    }

    @Test
    void settingFromEnvironmentOverridesConfigAndIsCastToItsKind() throws Exception {
        PluginConfig tap = load("""
                plugins:
                  extractors:
                    - name: tap-postgres
                      config: {host: db, port: 5432, filter_schemas: [a]}
                """, Map.of("TAP_POSTGRES_PORT", "6543", "TAP_POSTGRES_HOST", "other", "TAP_POSTGRES_FILTER_SCHEMAS",
                "[\"public\"]"));
        assertThat(tap.config().path("port").isIntegralNumber()).isTrue();
        assertThat(tap.config().path("port").asLong()).isEqualTo(6543);
        assertThat(tap.config().path("host").asText()).isEqualTo("other");
        assertThat(tap.config().path("filter_schemas").get(0).asText()).isEqualTo("public");
    }

    @Test
    void envValueThatIsNotOfTheSettingsKindFailsWithoutShowingTheValue() {
        assertThatThrownBy(() -> load("""
                plugins:
                  extractors:
                    - name: tap-postgres
                """, Map.of("TAP_POSTGRES_PORT", "s3cret")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'port'").hasMessageContaining("TAP_POSTGRES_PORT").hasMessageNotContaining("s3cret");
    }

    @Test
    void pluginThatOnlyNamesItselfTakesItsDefinitionFromTheCatalog() throws Exception {
        PluginConfig tap = load("""
                plugins:
                  extractors:
                    - name: tap-jsonl
                  loaders:
                    - name: target-duckdb
                """, Map.of());
        assertThat(tap.pipUrl()).contains("tap-jsonl==0.3.1");
        assertThat(tap.executable()).isEqualTo("tap-jsonl");
        assertThat(tap.capabilities()).contains("catalog", "discover", "state");
        assertThat(tap.select()).containsExactly("*.*"); // Meltano's default selection
    }

    @Test
    void loaderWithPipUrlIsNotBuiltin() throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), """
                plugins:
                  loaders:
                    - name: target-duckdb
                      pip_url: target-duckdb
                    - name: target-duckdb-tapline
                      variant: tapline
                """);
        ProjectConfig project = ProjectFile.load(dir.resolve("meltano.yml"), Map.of(), PluginCatalog.bundled());
        assertThat(project.plugin(PluginType.LOADERS, "target-duckdb").builtin()).isFalse();
        assertThat(project.plugin(PluginType.LOADERS, "target-duckdb-tapline").builtin()).isTrue();
    }

    @Test
    void unsupportedPluginTypesAreIgnoredNotFatal() throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), """
                plugins:
                  utilities:
                    - name: sqlfluff
                  extractors:
                    - name: tap-jsonl
                """);
        ProjectConfig project = ProjectFile.load(dir.resolve("meltano.yml"), Map.of(), PluginCatalog.bundled());
        assertThat(project.plugins()).extracting(PluginConfig::name).containsExactly("tap-jsonl");
    }

    private PluginConfig load(String yml, Map<String, String> env) throws Exception {
        Files.writeString(dir.resolve("meltano.yml"), yml);
        List<PluginConfig> plugins = ProjectFile.load(dir.resolve("meltano.yml"), env, PluginCatalog.bundled()).plugins();
        return plugins.get(0);
    }
}
