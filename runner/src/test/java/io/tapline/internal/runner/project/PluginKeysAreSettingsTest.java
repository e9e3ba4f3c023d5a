package io.tapline.internal.runner.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tapline's own plugin keys ({@code retry}, {@code limits}, {@code ssh}, {@code catalog}, ...) are
 * settings like any other: the environment, {@code .env}, the active environment's plugin entry and
 * {@code inherit_from} layer them exactly as they layer {@code config:}.
 */
@Tag("gh-11")
class PluginKeysAreSettingsTest {
    private static final long BASE_MEMORY = 512L * 1024 * 1024;
    private static final long PROD_MEMORY = 2L * 1024 * 1024 * 1024;
    private static final int BASE_ATTEMPTS = 2;
    private static final int PROD_ATTEMPTS = 7;

    private static final String PROJECT = """
            default_environment: dev
            plugins:
              extractors:
              - name: tap-x
                executable: tap-x
                retry: {max_attempts: %d, delay: PT1S}
                limits: {memory: %d, open_files: 64}
                ssh: {host: dev.example, user: etl, passphrase: $KEY_PASS}
                catalog: catalogs/base.json
              - name: tap-x-child
                inherit_from: tap-x
              loaders:
              - name: target-jsonl
                variant: tapline
            environments:
            - name: dev
            - name: prod
              config:
                plugins:
                  extractors:
                  - name: tap-x
                    retry: {max_attempts: %d}
                    limits: {memory: %d}
                    ssh: {host: prod.example}
                    catalog: catalogs/prod.json
                    inherit_env: true
            """.formatted(BASE_ATTEMPTS, BASE_MEMORY, PROD_ATTEMPTS, PROD_MEMORY);

    @TempDir Path dir;

    private ProjectConfig load(String yaml, Map<String, String> env, Optional<String> environment) throws IOException {
        Path file = dir.resolve("meltano.yml");
        Files.writeString(file, yaml);
        return ProjectFile.load(file, env, PluginCatalog.bundled(), environment);
    }

    private PluginConfig tap(String name, Map<String, String> env, Optional<String> environment) throws IOException {
        return load(PROJECT, env, environment).plugin(PluginType.EXTRACTORS, name);
    }

    @Test
    void environmentOverridesRetryLimitsSshCatalogAndInheritEnv() throws IOException {
        PluginConfig dev = tap("tap-x", Map.of(), Optional.empty());
        assertThat(dev.runtime().retry().orElseThrow().maxAttempts()).isEqualTo(BASE_ATTEMPTS);
        assertThat(dev.runtime().limits().memoryBytes()).contains(BASE_MEMORY);
        assertThat(dev.remote().orElseThrow().endpoint().host()).isEqualTo("dev.example");
        assertThat(dev.extras().catalog()).contains(dir.resolve("catalogs/base.json"));
        assertThat(dev.runtime().inheritEnv()).isFalse();

        PluginConfig prod = tap("tap-x", Map.of(), Optional.of("prod"));
        assertThat(prod.runtime().retry().orElseThrow().maxAttempts()).isEqualTo(PROD_ATTEMPTS);
        // an environment's mapping replaces the whole key, as for any object extra: open_files is not kept
        assertThat(prod.runtime().limits().memoryBytes()).contains(PROD_MEMORY);
        assertThat(prod.runtime().limits().openFiles()).isEmpty();
        assertThat(prod.remote().orElseThrow().endpoint().host()).isEqualTo("prod.example");
        assertThat(prod.extras().catalog()).contains(dir.resolve("catalogs/prod.json"));
        assertThat(prod.runtime().inheritEnv()).isTrue();
        assertThat(prod.settings().get("_limits").orElseThrow().source()).contains(SettingSource.MELTANO_ENVIRONMENT);
    }

    @Test
    void inheritFromChildInheritsLimitsRetryAndSsh() throws IOException {
        PluginConfig child = tap("tap-x-child", Map.of(), Optional.empty());
        assertThat(child.runtime().limits().memoryBytes()).contains(BASE_MEMORY);
        assertThat(child.runtime().limits().openFiles()).contains(64);
        assertThat(child.runtime().retry().orElseThrow().maxAttempts()).isEqualTo(BASE_ATTEMPTS);
        assertThat(child.remote().orElseThrow().endpoint().host()).isEqualTo("dev.example");
        assertThat(child.settings().get("_limits").orElseThrow().source()).contains(SettingSource.INHERITED);
    }

    @Test
    void pluginVariableOverridesLimitsAndRetryAsJson() throws IOException {
        long memory = 3L * 1024 * 1024;
        PluginConfig p = tap("tap-x", Map.of("TAP_X__LIMITS", "{\"memory\": " + memory + ", \"cpu_time\": \"PT30S\"}",
                "TAP_X__RETRY", "{\"max_attempts\": 4}", "TAP_X__INHERIT_ENV", "true"), Optional.of("prod"));
        assertThat(p.runtime().limits().memoryBytes()).contains(memory);
        assertThat(p.runtime().limits().cpuTime()).contains(Duration.ofSeconds(30));
        assertThat(p.runtime().retry().orElseThrow().maxAttempts()).isEqualTo(4);
        assertThat(p.runtime().inheritEnv()).isTrue();
        PluginSettings.Value limits = p.settings().get("_limits").orElseThrow();
        assertThat(limits.source()).contains(SettingSource.ENV);
        assertThat(limits.fromVariable()).contains("TAP_X__LIMITS");
    }

    @Test
    void dotenvOverridesTheProjectFileForCatalogAndState() throws IOException {
        Files.writeString(dir.resolve(".env"), "TAP_X__CATALOG=catalogs/dotenv.json\nTAP_X__STATE=state/start.json\n");
        PluginConfig p = tap("tap-x", Map.of(), Optional.of("prod"));
        assertThat(p.extras().catalog()).contains(dir.resolve("catalogs/dotenv.json"));
        assertThat(p.extras().state()).contains(dir.resolve("state/start.json"));
        assertThat(p.settings().get("_catalog").orElseThrow().source()).contains(SettingSource.DOTENV);
    }

    @Test
    void sshValuesExpandVariablesOnceAndTheBlockIsRedactedAndNotExportedToThePlugin() throws IOException {
        String passphrase = "pa$$phrase-from-env";
        PluginConfig p = tap("tap-x", Map.of("KEY_PASS", passphrase), Optional.empty());
        assertThat(p.remote().orElseThrow().endpoint().passphrase().orElseThrow().value()).isEqualTo(passphrase);
        PluginSettings.Value ssh = p.settings().get("_ssh").orElseThrow();
        assertThat(ssh.display()).isEqualTo("(redacted)");
        assertThat(p.settings().secrets()).contains(passphrase);
        assertThat(p.env()).doesNotContainKeys("TAP_X__SSH", "TAP_X__LIMITS", "TAP_X__RETRY");
        assertThat(p.env().values()).noneMatch(v -> v.contains(passphrase));
    }

    @Test
    void underscoreConfigKeysThatAreNotExtrasReachTheConfigFile() throws IOException {
        String manifest = "{\"version\": \"6.1.0\", \"streams\": []}";
        PluginConfig p = load("""
                plugins:
                  extractors:
                  - name: source-declarative
                    protocol: airbyte
                    executable: source-declarative-manifest
                    config:
                      _custom_key: custom
                      __injected_declarative_manifest: %s
                      api_key: k
                """.formatted(manifest), Map.of(), Optional.empty()).plugin(PluginType.EXTRACTORS, "source-declarative");
        assertThat(p.airbyte()).isTrue();
        assertThat(p.config().path("_custom_key").asText()).isEqualTo("custom");
        assertThat(p.config().path("__injected_declarative_manifest").path("version").asText()).isEqualTo("6.1.0");
        assertThat(p.settings().get("_custom_key").orElseThrow().extra()).isFalse();
        // the real extras stay out of the config file
        assertThat(p.config().has("_select")).isFalse();
        assertThat(p.config().has("_protocol")).isFalse();
    }

    @Test
    void protocolImageAndContainerComeFromTheActiveEnvironment() throws IOException {
        PluginConfig p = load("""
                plugins:
                  extractors:
                  - name: source-x
                    executable: source-x
                environments:
                - name: ci
                  config:
                    plugins:
                      extractors:
                      - name: source-x
                        protocol: airbyte
                        image: airbyte/source-x:1.0
                        container: {runtime: [podman], network: none}
                """, Map.of(), Optional.of("ci")).plugin(PluginType.EXTRACTORS, "source-x");
        assertThat(p.airbyte()).isTrue();
        assertThat(p.image().orElseThrow().image()).isEqualTo("airbyte/source-x:1.0");
        assertThat(p.image().orElseThrow().runtime()).containsExactly("podman");
    }

    @Test
    void jobsComeFromTheOneProjectFileReadIncludedFilesToo() throws IOException {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/jobs.yml"), "jobs:\n- name: nightly\n  tasks: [tap-x target-jsonl]\n");
        ProjectConfig config = load(PROJECT + "include_paths: ['./sub/*.yml']\n", Map.of(), Optional.empty());
        assertThat(config.jobs().job("nightly")).contains(java.util.List.of("tap-x", "target-jsonl"));
    }
}
