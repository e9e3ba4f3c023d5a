package io.tapline.internal.runner.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Meltano's own test cases for settings, as listed in {@code testdata/meltano/CASES.md} sections 2-4
 * (case ids in the test names): env-var names, {@code .env}, precedence of the config layers,
 * stacking of {@code env:} mappings, {@code $VAR} expansion, project-file merging. The plugins are
 * Meltano's test fixtures ({@code tap-mock}, {@code target-mock}, ...), declared inline.
 */
class MeltanoSettingsCasesTest {
    /** Meltano's tap-mock / target-mock fixture definitions (tests/fixtures/core.py), trimmed to what the cases use. */
    private static final String PLUGINS = """
            plugins:
              extractors:
              - name: tap-mock
                namespace: tap_mock
                executable: tap-mock
                settings:
                - {name: test, value: mock}
                - {name: start_date}
                - {name: secure, kind: password}
                - {name: port, kind: integer, value: 5432}
                - {name: list, kind: array}
                - {name: object, kind: object}
                - {name: boolean, kind: boolean}
                - {name: aliased, aliases: [aliased_1, aliased_2, aliased_3]}
                - {name: multiple}
              - name: tap-mock-inherited
                inherit_from: tap-mock
              loaders:
              - name: target-mock
                namespace: mock
                settings:
                - {name: schema, env: MOCKED_SCHEMA}
              - name: target-mock-alternative
                inherit_from: target-mock
            """;

    @TempDir Path dir;

    private ProjectConfig load(String yaml, Map<String, String> env, Optional<String> environment) throws IOException {
        Path file = dir.resolve("meltano.yml");
        Files.writeString(file, yaml);
        return ProjectFile.load(file, env, PluginCatalog.bundled(), environment);
    }

    private PluginConfig plugin(String yaml, Map<String, String> env, PluginType type, String name) throws IOException {
        return load(yaml, env, Optional.empty()).plugin(type, name);
    }

    private static PluginSettings.Value setting(PluginConfig p, String name) {
        return p.settings().get(name).orElseThrow();
    }

    @Nested
    class EnvVarNames {
        @Test
        void e1_e2_shadowingPluginReadsItsNameAndWritesTheVerbToo() throws IOException {
            PluginSettings.Value b = setting(plugin(PLUGINS, Map.of(), PluginType.EXTRACTORS, "tap-mock"), "boolean");
            assertThat(b.readVariables()).containsExactly("TAP_MOCK_BOOLEAN");
            assertThat(b.writeVariables()).containsExactly("TAP_MOCK_BOOLEAN", "MELTANO_EXTRACT_BOOLEAN");
        }

        @Test
        void e3_e4_inheritedLoaderReadsOnlyItsOwnNameAndWritesCustomOwnParentAndVerb() throws IOException {
            PluginSettings.Value s = setting(plugin(PLUGINS, Map.of(), PluginType.LOADERS, "target-mock-alternative"),
                    "schema");
            assertThat(s.readVariables()).containsExactly("TARGET_MOCK_ALTERNATIVE_SCHEMA");
            assertThat(s.writeVariables()).containsExactly("MOCKED_SCHEMA", "TARGET_MOCK_ALTERNATIVE_SCHEMA",
                    "TARGET_MOCK_SCHEMA", "MOCK_SCHEMA", "MELTANO_LOAD_SCHEMA");
        }

        @Test
        void e5_e6_inheritedExtractor() throws IOException {
            PluginSettings.Value b = setting(plugin(PLUGINS, Map.of(), PluginType.EXTRACTORS, "tap-mock-inherited"),
                    "boolean");
            assertThat(b.readVariables()).containsExactly("TAP_MOCK_INHERITED_BOOLEAN");
            assertThat(b.writeVariables()).containsExactly("TAP_MOCK_INHERITED_BOOLEAN", "TAP_MOCK_BOOLEAN",
                    "MELTANO_EXTRACT_BOOLEAN");
        }

        @Test
        void e7_e9_valuesAreExportedAsMeltanoRendersThemAndUnsetSettingsAreAbsent() throws IOException {
            String yaml = PLUGINS.replace("                - {name: test, value: mock}\n",
                    "                - {name: test, value: mock}\n") + """
                    """;
            Files.writeString(dir.resolve(".env"), "TAP_MOCK_BOOLEAN=true\nTAP_MOCK_LIST='[1, 2, 3, \"4\"]'\n"
                    + "TAP_MOCK_OBJECT='{\"1\": {\"2\": 3}}'\n");
            Map<String, String> env = plugin(yaml, Map.of(), PluginType.EXTRACTORS, "tap-mock").env();
            assertThat(env).containsEntry("TAP_MOCK_TEST", "mock").containsEntry("MELTANO_EXTRACT_TEST", "mock")
                    .containsEntry("TAP_MOCK_BOOLEAN", "true").containsEntry("MELTANO_EXTRACT_BOOLEAN", "true")
                    .containsEntry("TAP_MOCK_LIST", "[1, 2, 3, \"4\"]").containsEntry("MELTANO_EXTRACT_LIST", "[1, 2, 3, \"4\"]")
                    .containsEntry("TAP_MOCK_OBJECT", "{\"1\": {\"2\": 3}}")
                    .doesNotContainKeys("TAP_MOCK_START_DATE", "TAP_MOCK_SECURE", "MELTANO_EXTRACT_SECURE");
        }

        @Test
        void e8_dotenvValueIsCastAndReportedAsDotenv() throws IOException {
            Files.writeString(dir.resolve(".env"), "TAP_MOCK_BOOLEAN=false\n");
            PluginSettings.Value b = setting(plugin(PLUGINS, Map.of(), PluginType.EXTRACTORS, "tap-mock"), "boolean");
            assertThat(b.value().orElseThrow().isBoolean()).isTrue();
            assertThat(b.value().orElseThrow().asBoolean()).isFalse();
            assertThat(b.source()).contains(SettingSource.DOTENV);
        }

        @Test
        void e11_namespacePrefixIsRead() throws IOException {
            Files.writeString(dir.resolve(".env"), "MOCK_SCHEMA=namespace_prefix\n");
            PluginSettings.Value s = setting(plugin(PLUGINS, Map.of(), PluginType.LOADERS, "target-mock"), "schema");
            assertThat(s.value().orElseThrow().asText()).isEqualTo("namespace_prefix");
            assertThat(s.fromVariable()).contains("MOCK_SCHEMA");
        }

        @Test
        void e12_namePrefixIsReadAndTheGenericVerbVariableIsWritten() throws IOException {
            Files.writeString(dir.resolve(".env"), "TARGET_MOCK_SCHEMA=name_prefix\n");
            PluginConfig p = plugin(PLUGINS, Map.of(), PluginType.LOADERS, "target-mock");
            assertThat(setting(p, "schema").fromVariable()).contains("TARGET_MOCK_SCHEMA");
            assertThat(p.env()).containsEntry("MELTANO_LOAD_SCHEMA", "name_prefix");
        }

        @Test
        void e15_e18_invocationEnvNamesThePluginProjectAndExtras() throws IOException {
            Files.writeString(dir.resolve(".env"), "TAP_MOCK_TEST=from_dotenv\nDUMMY_ENV_VAR=from_dotenv\n");
            Map<String, String> env = plugin(PLUGINS, Map.of(), PluginType.EXTRACTORS, "tap-mock").env();
            assertThat(env).containsEntry("MELTANO_EXTRACTOR_NAME", "tap-mock")
                    .containsEntry("MELTANO_EXTRACTOR_NAMESPACE", "tap_mock")
                    .containsEntry("MELTANO_EXTRACT_TEST", "from_dotenv").containsEntry("TAP_MOCK_TEST", "from_dotenv")
                    .containsEntry("MELTANO_EXTRACT__SELECT", "[\"*.*\"]").containsEntry("TAP_MOCK__SELECT", "[\"*.*\"]")
                    .containsEntry("MELTANO_PROJECT_ROOT", dir.toAbsolutePath().normalize().toString())
                    .containsEntry("MELTANO_ENVIRONMENT", "")
                    .containsEntry("DUMMY_ENV_VAR", "from_dotenv");
        }

        @Test
        void e28_selectFilterExtraFromAnEnvironmentVariable() throws IOException {
            PluginConfig p = plugin(PLUGINS, Map.of("TAP_MOCK__SELECT_FILTER", "[\"stream_1\"]"),
                    PluginType.EXTRACTORS, "tap-mock");
            assertThat(p.selectFilter()).containsExactly("stream_1");
        }
    }

    @Nested
    class Precedence {
        private PluginSettings.Value test(String yaml, Map<String, String> env) throws IOException {
            return setting(plugin(yaml, env, PluginType.EXTRACTORS, "tap-mock-inherited"), "test");
        }

        @Test
        void c1_nothingSetGivesTheDefault() throws IOException {
            PluginSettings.Value v = test(PLUGINS, Map.of());
            assertThat(v.value().orElseThrow().asText()).isEqualTo("mock");
            assertThat(v.source()).contains(SettingSource.DEFAULT);
        }

        @Test
        void c2_theParentsEnvironmentVariableIsInherited() throws IOException {
            PluginSettings.Value v = test(PLUGINS, Map.of("TAP_MOCK_TEST", "INHERITED"));
            assertThat(v.value().orElseThrow().asText()).isEqualTo("INHERITED");
            assertThat(v.source()).contains(SettingSource.INHERITED);
        }

        @Test
        void c4_meltanoYmlBeatsTheParent() throws IOException {
            String yaml = PLUGINS.replace("    inherit_from: tap-mock\n", "    inherit_from: tap-mock\n    config: {test: 42}\n");
            PluginSettings.Value v = test(yaml, Map.of("TAP_MOCK_TEST", "INHERITED"));
            assertThat(v.value().orElseThrow().asText()).isEqualTo("42");
            assertThat(v.source()).contains(SettingSource.MELTANO_YML);
        }

        @Test
        void c5_theEnvironmentBeatsMeltanoYml() throws IOException {
            String yaml = PLUGINS.replace("    inherit_from: tap-mock\n", "    inherit_from: tap-mock\n    config: {test: 42}\n");
            PluginSettings.Value v = test(yaml, Map.of("TAP_MOCK_INHERITED_TEST", "N33DC0F33"));
            assertThat(v.value().orElseThrow().asText()).isEqualTo("N33DC0F33");
            assertThat(v.source()).contains(SettingSource.ENV);
        }

        @Test
        void envBeatsDotenvBeatsEnvironmentConfigBeatsMeltanoYml() throws IOException {
            String yaml = PLUGINS.replace("  - name: tap-mock-inherited\n", "  - name: tap-mock-inherited\n    config: {start_date: yml}\n")
                    + """
                    environments:
                    - name: dev
                      config:
                        plugins:
                          extractors:
                          - name: tap-mock-inherited
                            config: {start_date: environment}
                    """;
            PluginConfig inDev = load(yaml, Map.of(), Optional.of("dev")).plugin(PluginType.EXTRACTORS, "tap-mock-inherited");
            assertThat(setting(inDev, "start_date").source()).contains(SettingSource.MELTANO_ENVIRONMENT);
            Files.writeString(dir.resolve(".env"), "TAP_MOCK_INHERITED_START_DATE=dotenv\n");
            PluginConfig withDotenv = load(yaml, Map.of(), Optional.of("dev")).plugin(PluginType.EXTRACTORS, "tap-mock-inherited");
            assertThat(setting(withDotenv, "start_date").value().orElseThrow().asText()).isEqualTo("dotenv");
            PluginConfig withEnv = load(yaml, Map.of("TAP_MOCK_INHERITED_START_DATE", "env"), Optional.of("dev"))
                    .plugin(PluginType.EXTRACTORS, "tap-mock-inherited");
            assertThat(setting(withEnv, "start_date").value().orElseThrow().asText()).isEqualTo("env");
            assertThat(setting(withEnv, "start_date").source()).contains(SettingSource.ENV);
        }
    }

    /** CASES.md EV00-EV19: {@code invoke --print-var TEST_ENV_VAR_RESOLUTION_FROM test-env-var-resolution}. */
    @Nested
    class EnvLayers {
        private String project(boolean topEnv, boolean pluginEnv, boolean environmentEnv, boolean environmentPluginEnv,
                boolean pluginConfig, boolean environmentPluginConfig) {
            String var = "TEST_ENV_VAR_RESOLUTION_FROM";
            StringBuilder y = new StringBuilder("default_environment: dev\n");
            if (topEnv) {
                y.append("env:\n  ").append(var).append(": top_level_env\n");
            }
            y.append("plugins:\n  extractors:\n  - name: test-env-var-resolution\n    namespace: test_env_var_resolution\n")
                    .append("    settings:\n    - {name: from, kind: string}\n");
            if (pluginEnv) {
                y.append("    env:\n      ").append(var).append(": top_level_plugin_env\n");
            }
            if (pluginConfig) {
                y.append("    config:\n      from: top_level_plugin_config\n");
            }
            y.append("environments:\n- name: dev\n");
            if (environmentPluginEnv || environmentPluginConfig) {
                y.append("  config:\n    plugins:\n      extractors:\n      - name: test-env-var-resolution\n");
                if (environmentPluginEnv) {
                    y.append("        env:\n          ").append(var).append(": environment_level_plugin_env\n");
                }
                if (environmentPluginConfig) {
                    y.append("        config:\n          from: environment_level_plugin_config\n");
                }
            }
            if (environmentEnv) {
                y.append("  env:\n    ").append(var).append(": environment_level_env\n");
            }
            return y.toString();
        }

        private String printed(String yaml, boolean terminal) throws IOException {
            Map<String, String> env = terminal ? Map.of("TEST_ENV_VAR_RESOLUTION_FROM", "terminal_env") : Map.of();
            Map<String, String> pluginEnv = new HashMap<>(env);
            pluginEnv.putAll(load(yaml, env, Optional.empty()).plugin(PluginType.EXTRACTORS, "test-env-var-resolution").env());
            return pluginEnv.get("TEST_ENV_VAR_RESOLUTION_FROM");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "EV00, true,  false, false, false, false, false, false, terminal_env",
            "EV01, true,  true,  false, false, false, false, false, top_level_env",
            "EV02, true,  false, true,  false, false, false, false, top_level_plugin_env",
            "EV03, true,  false, false, true,  false, false, false, environment_level_env",
            "EV04, true,  false, false, false, true,  false, false, environment_level_plugin_env",
            "EV06, false, true,  false, false, false, false, false, top_level_env",
            "EV07, false, true,  true,  false, false, false, false, top_level_plugin_env",
            "EV08, false, true,  true,  true,  false, false, false, environment_level_env",
            "EV09, false, true,  true,  true,  true,  false, false, environment_level_plugin_env",
            "EV11, true,  false, false, true,  false, true,  false, environment_level_env",
            "EV12, true,  false, false, true,  false, true,  true,  environment_level_env",
            "EV13, false, false, false, true,  false, false, false, environment_level_env",
            "EV14, false, false, false, true,  false, true,  false, environment_level_env",
            "EV15, false, false, false, true,  false, true,  true,  environment_level_env",
        })
        void layersResolveAsMeltanosTestExpects(String id, boolean terminal, boolean top, boolean plugin, boolean environment,
                boolean environmentPlugin, boolean pluginConfig, boolean environmentPluginConfig, String expected)
                throws IOException {
            assertThat(printed(project(top, plugin, environment, environmentPlugin, pluginConfig, environmentPluginConfig),
                    terminal)).as(id).isEqualTo(expected);
        }

        @Test
        void ev16_environmentPluginConfigExpandsTheEnvironmentsOwnVariables() throws IOException {
            String yaml = """
                    default_environment: dev
                    plugins:
                      extractors:
                      - name: test-env-var-resolution
                        settings: [{name: from}]
                    environments:
                    - name: dev
                      config:
                        plugins:
                          extractors:
                          - name: test-env-var-resolution
                            config: {from: $INDIRECTED_ENV_VAR}
                      env:
                        INDIRECTED_ENV_VAR: environment_level_plugin_config_indirected
                    """;
            assertThat(printed(yaml, false)).isEqualTo("environment_level_plugin_config_indirected");
        }

        private static final String STACKED = """
                env:
                  STACKED: ${STACKED}2
                plugins:
                  extractors:
                  - name: example
                    env:
                      STACKED: ${STACKED}4
                environments:
                - name: prod
                  config:
                    plugins:
                      extractors:
                      - name: example
                        env:
                          STACKED: ${STACKED}5
                  env:
                    STACKED: ${STACKED}3
                """;

        @Test
        void ev17_envMappingsStackTerminalTopEnvironmentPluginEnvironmentPlugin() throws IOException {
            assertThat(load(STACKED, Map.of("STACKED", "1"), Optional.of("prod")).plugin(PluginType.EXTRACTORS, "example")
                    .env()).containsEntry("STACKED", "12345");
        }

        @Test
        void ev18_onlyTheEnvironmentsMapping() throws IOException {
            String yaml = "plugins:\n  extractors:\n  - name: example\nenvironments:\n- name: dev\n  env:\n    STACKED: ${STACKED}2\n";
            assertThat(load(yaml, Map.of("STACKED", "1"), Optional.of("dev")).plugin(PluginType.EXTRACTORS, "example")
                    .env()).containsEntry("STACKED", "12");
        }

        /** Meltano yields 4 here (its open bug #7023); tapline gives the documented, intended 124. */
        @Test
        void ev19_withoutAnEnvironmentTheTopLevelAndPluginMappingsStillStack() throws IOException {
            assertThat(load(STACKED, Map.of("STACKED", "1"), Optional.of("")).plugin(PluginType.EXTRACTORS, "example")
                    .env()).containsEntry("STACKED", "124");
        }
    }

    @Nested
    class Expansion {
        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(delimiter = '|', value = {
            "X1 | ${ENV_VAR}_suffix         | substituted_suffix",
            "X2 | prefix_${ENV_VAR}         | prefix_substituted",
            "X3 | prefix_${ENV_VAR}_suffix  | prefix_substituted_suffix",
            "X4 | ${ENV_VAR}                | substituted",
            "X5 | $ENV_VAR                  | substituted",
            "X15 | foo$r$6$bar              | foo$r$6$bar",
        })
        void expandsAsMeltano(String id, String input, String expected) {
            assertThat(EnvVars.expand(input, Map.of("ENV_VAR", "substituted"))).as(id).isEqualTo(expected);
        }

        @Test
        void x6_anUnsetVariableExpandsToNothing() {
            assertThat(EnvVars.expand("$ENV_VAR", Map.of())).isEmpty();
        }

        @Test
        void x10_aBackslashKeepsTheDollar() {
            assertThat(EnvVars.expand("MY_DB\\$TableName", Map.of())).isEqualTo("MY_DB$TableName");
        }

        @Test
        void x11_valuesExpandAtAnyDepthButKeysNever() throws IOException {
            String yaml = "plugins:\n  extractors:\n  - name: tap-x\n    config:\n      nested:\n"
                    + "        ${THIS_DOES_NOT_EXPAND}: {deeper: [\"$A\", {k: \"${A}!\"}]}\n";
            ObjectNode config = plugin(yaml, Map.of("A", "a", "THIS_DOES_NOT_EXPAND", "x"), PluginType.EXTRACTORS, "tap-x").config();
            assertThat(new ObjectMapper().writeValueAsString(config))
                    .isEqualTo("{\"nested\":{\"${THIS_DOES_NOT_EXPAND}\":{\"deeper\":[\"a\",{\"k\":\"a!\"}]}}}");
        }

        @Test
        void x12_aConfigValueOfAnUnsetVariableIsNoValue() throws IOException {
            String yaml = PLUGINS.replace("    namespace: tap_mock\n", "    namespace: tap_mock\n    config: {start_date: $MISSING}\n");
            assertThat(setting(plugin(yaml, Map.of(), PluginType.EXTRACTORS, "tap-mock"), "start_date").value()).isEmpty();
        }

        @Test
        void x13_dotenvVariablesExpandInConfig() throws IOException {
            Files.writeString(dir.resolve(".env"), "A=rock\nB=paper\nC=scissors\n");
            String yaml = PLUGINS.replace("    namespace: tap_mock\n", "    namespace: tap_mock\n    config: {test: \"$A ${B} $C\"}\n");
            assertThat(setting(plugin(yaml, Map.of(), PluginType.EXTRACTORS, "tap-mock"), "test").value().orElseThrow()
                    .asText()).isEqualTo("rock paper scissors");
        }

        @Test
        void x14_pluginInfoVariablesExpand() throws IOException {
            String yaml = PLUGINS.replace("    namespace: tap_mock\n", "    namespace: tap_mock\n    config: {test: $MELTANO_EXTRACTOR_NAME}\n");
            assertThat(setting(plugin(yaml, Map.of(), PluginType.EXTRACTORS, "tap-mock"), "test").value().orElseThrow()
                    .asText()).isEqualTo("tap-mock");
        }

        @Test
        void x17_valuesFromTheEnvironmentAreNotExpandedAgain() throws IOException {
            assertThat(setting(plugin(PLUGINS, Map.of("TAP_MOCK_TEST", "$FOO", "FOO", "bar"), PluginType.EXTRACTORS,
                    "tap-mock"), "test").value().orElseThrow().asText()).isEqualTo("$FOO");
        }

        @Test
        void configValuesAreCastToTheSettingsKindAfterExpansion() throws IOException {
            String yaml = PLUGINS.replace("    namespace: tap_mock\n", "    namespace: tap_mock\n    config: {port: $PG_PORT}\n");
            assertThat(plugin(yaml, Map.of("PG_PORT", "6543"), PluginType.EXTRACTORS, "tap-mock").config().get("port")
                    .isIntegralNumber()).isTrue();
        }
    }

    @Nested
    class ProjectFiles {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "DM1 | {\"a\": 1}               | {\"a\": 1}              | {\"a\":1}",
            "DM2 | {\"a\": 1}               | {\"a\": 2}              | {\"a\":2}",
            "DM3 | {\"a\": 1}               | {\"a\": 2, \"b\": 2}    | {\"a\":2,\"b\":2}",
            "DM4 | {\"a\": [1, 2, 3]}       | {\"a\": [3, 4, 5]}      | {\"a\":[1,2,3,3,4,5]}",
            "DM5 | {\"a\": \"A\", \"b\": \"B\"} | {\"a\": \"Z\"}      | {\"a\":\"Z\",\"b\":\"B\"}",
        })
        void deepMergeExtendsListsAndReplacesScalars(String id, String parent, String child, String expected) throws IOException {
            ObjectMapper json = new ObjectMapper();
            ObjectNode merged = ProjectTree.deepMerge((ObjectNode) json.readTree(parent), json.readTree(child));
            assertThat(json.writeValueAsString(merged)).as(id).isEqualTo(expected);
        }

        @Test
        void includePathsAddPluginsAndEnvironmentsFromOtherFiles() throws IOException {
            Files.createDirectories(dir.resolve("environments"));
            Files.writeString(dir.resolve("extractors.meltano.yml"), "plugins:\n  extractors:\n  - name: tap-two\n");
            Files.writeString(dir.resolve("environments/prod.meltano.yml"),
                    "environments:\n- name: prod\n  state_id_suffix: blue\n");
            ProjectConfig config = load("include_paths: [./extractors.meltano.yml, environments/*.meltano.yml]\n"
                    + "plugins:\n  extractors:\n  - name: tap-one\n", Map.of(), Optional.of("prod"));
            assertThat(config.plugins(PluginType.EXTRACTORS)).extracting(PluginConfig::name).containsExactly("tap-one", "tap-two");
            assertThat(config.stateIdSuffix()).contains("blue");
        }

        @Test
        void id7_id8_stateIdSuffixExpandsVariables() throws IOException {
            ProjectConfig config = load("plugins: {}\nenvironments:\n- name: dev\n"
                    + "  state_id_suffix: test-suffix-${TEST_SUFFIX_0}-${TEST_SUFFIX_1}\n",
                    Map.of("TEST_SUFFIX_0", "multiple", "TEST_SUFFIX_1", "env"), Optional.of("dev"));
            assertThat(config.stateIdSuffix()).contains("test-suffix-multiple-env");
        }

        @Test
        void theActiveEnvironmentComesFromMeltanoEnvironmentThenTheDefault() throws IOException {
            String yaml = "default_environment: dev\nplugins: {}\nenvironments:\n- name: dev\n- name: prod\n";
            assertThat(load(yaml, Map.of(), Optional.empty()).environment()).contains("dev");
            assertThat(load(yaml, Map.of("MELTANO_ENVIRONMENT", "prod"), Optional.empty()).environment()).contains("prod");
            assertThat(load(yaml, Map.of("MELTANO_ENVIRONMENT", "prod"), Optional.of("")).environment()).isEmpty();
        }

        @Test
        void anUndefinedEnvironmentIsAnErrorNamingTheFile() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    load("plugins: {}\nenvironments:\n- name: dev\n", Map.of(), Optional.of("prod")))
                    .hasMessageContaining("environment 'prod' is not defined in").hasMessageContaining("meltano.yml");
        }

        @Test
        void inheritedPluginTakesTheParentsPipUrlExecutableAndConfig() throws IOException {
            String yaml = """
                    plugins:
                      extractors:
                      - name: tap-base
                        pip_url: tap-base==1.0
                        executable: tap-base-exe
                        config: {host: db, port: 5432}
                      - name: tap-child
                        inherit_from: tap-base
                        config: {port: 6543}
                    """;
            PluginConfig child = plugin(yaml, Map.of(), PluginType.EXTRACTORS, "tap-child");
            assertThat(child.pipUrl()).contains("tap-base==1.0");
            assertThat(child.executable()).isEqualTo("tap-base-exe");
            assertThat(child.config().get("host").asText()).isEqualTo("db");
            assertThat(child.config().get("port").asInt()).isEqualTo(6543);
            assertThat(setting(child, "host").source()).contains(SettingSource.INHERITED);
        }

        @Test
        void unsupportedPluginTypesAreReportedNotFatal() throws IOException {
            ProjectConfig config = load("plugins:\n  utilities:\n  - name: dbt\n  extractors:\n  - name: tap-x\n",
                    Map.of(), Optional.empty());
            assertThat(config.plugins()).extracting(PluginConfig::name).containsExactly("tap-x");
        }
    }

    @Test
    void aValueThatIsNotOfTheSettingsKindNamesPluginSettingVariableAndFileButNotTheValue() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                plugin(PLUGINS, Map.of("TAP_MOCK_PORT", "not-a-port-x9"), PluginType.EXTRACTORS, "tap-mock"))
                .hasMessageContaining("setting 'port' of tap-mock from $TAP_MOCK_PORT")
                .hasMessageContaining("meltano.yml").hasMessageContaining("integer")
                .hasMessageNotContaining("not-a-port-x9");
    }

    @Test
    void sensitiveValuesAreRedactedForDisplayAndListedAsSecrets() throws IOException {
        PluginConfig p = plugin(PLUGINS, Map.of("TAP_MOCK_SECURE", "hunter2"), PluginType.EXTRACTORS, "tap-mock");
        assertThat(setting(p, "secure").display()).isEqualTo("(redacted)");
        assertThat(p.settings().secrets()).containsExactly("hunter2");
        assertThat(List.of(setting(p, "test").display())).containsExactly("mock");
    }
}
