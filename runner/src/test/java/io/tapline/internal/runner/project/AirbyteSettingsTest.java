package io.tapline.internal.runner.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.ContainerImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The project-file shapes of an Airbyte source: tapline's {@code image:} and tap-airbyte's {@code airbyte_spec}. */
class AirbyteSettingsTest {
    @TempDir Path dir;

    @Test
    void imageAndContainerKeysMakeADockerLauncher() throws Exception {
        PluginConfig p = load("""
                    - name: source-pg
                      protocol: airbyte
                      image: airbyte/source-postgres:${PG_TAG}
                      container: {runtime: [podman, --storage-driver, vfs], network: none, memory: 2g, cpus: 1.5,
                                  user: "1000", run_args: [-v, "/etc/ssl:/etc/ssl:ro"]}
                      config: {host: db}
                """, Map.of("PG_TAG", "3.6.0"));

        assertThat(p.airbyte()).isTrue();
        assertThat(p.image()).contains(ContainerImage.image("airbyte/source-postgres:3.6.0")
                .runtime(List.of("podman", "--storage-driver", "vfs")).network("none").memory("2g").cpus("1.5")
                .user("1000").runArgs(List.of("-v", "/etc/ssl:/etc/ssl:ro")).build());
        assertThat(p.config().path("host").asText()).isEqualTo("db");
    }

    @Test
    void tapAirbyteShapeRunsTheImageWithAirbyteConfigAsTheConfig() throws Exception {
        PluginConfig p = load("""
                    - name: tap-airbyte-faker
                      variant: meltanolabs
                      pip_url: git+https://github.com/MeltanoLabs/tap-airbyte-wrapper.git
                      executable: tap-airbyte
                      config:
                        airbyte_spec: {image: airbyte/source-faker, tag: 6.2.0}
                        airbyte_config: {count: 10, seed: 3}
                """, Map.of());

        assertThat(p.airbyte()).isTrue();
        assertThat(p.image().orElseThrow().image()).isEqualTo("airbyte/source-faker:6.2.0");
        assertThat(p.image().orElseThrow().runtime()).containsExactly("docker");
        assertThat(p.config().toString()).isEqualTo("{\"count\":10,\"seed\":3}");
    }

    @Test
    void runtimeComesFromTheEnvironmentWhenTheProjectNamesNone() throws Exception {
        PluginConfig p = load("""
                    - name: tap-airbyte-faker
                      config: {airbyte_spec: {image: airbyte/source-faker}}
                """, Map.of("TAPLINE_CONTAINER_RUNTIME", " podman  --runtime runc "));

        assertThat(p.image().orElseThrow().runtime()).containsExactly("podman", "--runtime", "runc");
        assertThat(p.image().orElseThrow().image()).isEqualTo("airbyte/source-faker:latest");
    }

    @Test
    void airbyteSpecWithoutImageIsAProjectFileError() {
        assertThatThrownBy(() -> load("""
                    - name: tap-airbyte-x
                      config: {airbyte_spec: {tag: "1.0"}}
                """, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("tap-airbyte-x")
                .hasMessageContaining("airbyte_spec has no image");
    }

    private PluginConfig load(String extractor, Map<String, String> env) throws Exception {
        Path file = dir.resolve("meltano.yml");
        Files.writeString(file, "plugins:\n  extractors:\n" + extractor);
        ProjectConfig config = ProjectFile.load(file, env, PluginCatalog.bundled());
        return config.plugins().stream().filter(p -> p.type() == PluginType.EXTRACTORS).findFirst().orElseThrow();
    }
}
