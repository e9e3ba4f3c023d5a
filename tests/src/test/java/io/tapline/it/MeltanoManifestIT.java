package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginType;
import io.tapline.it.support.TestEnv;
import io.tapline.internal.runner.project.PluginConfig;
import io.tapline.internal.runner.project.PluginSettings;
import io.tapline.internal.runner.project.ProjectConfig;
import io.tapline.internal.runner.project.ProjectFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Meltano's own compiled manifests of its {@code meltano-manifest} example project (one per
 * environment, from {@code integration/meltano-manifest/expected-manifests}) are the expectation:
 * for every extractor, loader and mapper, each setting variable tapline hands the plugin must have
 * the value Meltano computed, through include_paths, lock files, inherit_from, environments and
 * {@code $VAR} expansion (CASES.md E30-E35).
 */
class MeltanoManifestIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> environments() {
        return Stream.of("", "cicd", "prod", "staging", "userdev", "jigsaw");
    }

    @ParameterizedTest(name = "environment ''{0}''")
    @MethodSource("environments")
    void settingVariablesMatchMeltanosCompiledManifest(String environment) throws IOException {
        Path project = TestEnv.meltano("integration/example-library/meltano-manifest/meltano.yml");
        Path expectedFile = TestEnv.meltano("integration/meltano-manifest/expected-manifests/meltano-manifest"
                + (environment.isEmpty() ? "" : "." + environment) + ".json");
        JsonNode expected = JSON.readTree(Files.readAllBytes(expectedFile));
        // Meltano compiles with no environment when none is given, whatever default_environment says.
        ProjectConfig config = ProjectFile.load(project, Map.of(), PluginCatalog.bundled(),
                environment.isEmpty() ? Optional.of("") : Optional.of(environment));
        boolean unsafe = environment.equals("jigsaw"); // compiled with --unsafe: secrets in clear

        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        // Mappers are left out: Meltano's manifest folds the mapping's config into the mapper's env.
        for (PluginType type : List.of(PluginType.EXTRACTORS, PluginType.LOADERS)) {
            for (JsonNode plugin : expected.path("plugins").path(type.name().toLowerCase(java.util.Locale.ROOT))) {
                String name = plugin.path("name").asText();
                if (config.plugins(type).stream().noneMatch(p -> p.name().equals(name))) {
                    continue; // named only in an environment's config, never defined: nothing to run
                }
                PluginConfig ours = config.plugin(type, name);
                Map<String, String> env = ours.env();
                Set<String> sensitiveVars = sensitiveVariables(ours.settings());
                for (Map.Entry<String, JsonNode> e : new TreeMap<>(toMap(plugin.path("env"))).entrySet()) {
                    String var = e.getKey();
                    String want = e.getValue().asText();
                    if (!settingVariable(var, ours)) {
                        continue;
                    }
                    compared++;
                    String got = env.get(var);
                    if (!unsafe && sensitiveVars.contains(var)) {
                        // Redacted manifests hide even a value that expanded to nothing (unset ${SNOWFLAKE_PASSWORD}).
                        got = want.equals("(redacted)") || (got != null && !got.isEmpty()) ? "(redacted)" : got;
                    }
                    if (!want.equals(got)) {
                        mismatches.add(ours.name() + " " + var + ": want <" + want + "> got <" + got + ">");
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(300);
        assertThat(mismatches).isEmpty();
    }

    private static Map<String, JsonNode> toMap(JsonNode obj) {
        Map<String, JsonNode> out = new TreeMap<>();
        obj.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Set<String> sensitiveVariables(PluginSettings settings) {
        Set<String> out = new java.util.HashSet<>();
        settings.values().stream().filter(v -> v.spec().sensitive()).forEach(v -> out.addAll(v.writeVariables()));
        return out;
    }

    /** The variables derived from settings and extras (not Meltano's project-wide or terminal ones). */
    private static boolean settingVariable(String var, PluginConfig plugin) {
        return plugin.settings().values().stream().anyMatch(v -> v.writeVariables().stream()
                .anyMatch(w -> var.equals(w) || var.startsWith(w + "_")));
    }
}
