package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config keys that start with {@code _} but are not Meltano extras are the plugin's: a real plugin
 * process finds them in the config file it is given, while the extras stay out.
 */
@Tag("gh-11")
class UnderscoreConfigKeysReachThePluginTest {
    @TempDir Path dir;

    @Test
    void customUnderscoreKeyAndInjectedDeclarativeManifestAreInTheConfigFileThePluginReads() throws Exception {
        Path seen = dir.resolve("config-seen.json");
        Path tap = dir.resolve("tap-dump.sh");
        // a plugin that keeps a copy of the config file it was started with
        Files.writeString(tap, """
                #!/bin/sh
                while [ $# -gt 0 ]; do
                  if [ "$1" = "--config" ]; then cp "$2" "%s"; fi
                  shift
                done
                """.formatted(seen));
        Files.setPosixFilePermissions(tap, PosixFilePermissions.fromString("rwx------"));
        String manifest = "{\"version\": \"6.1.0\", \"type\": \"DeclarativeSource\", \"streams\": []}";
        Files.writeString(dir.resolve("meltano.yml"), """
                plugins:
                  extractors:
                  - name: tap-dump
                    executable: %s
                    select: [users.*]
                    limits: {open_files: 256}
                    config:
                      _custom_key: custom-value
                      __injected_declarative_manifest: %s
                """.formatted(tap, manifest));

        Cli.Result r = new Cli(dir).run("invoke", "tap-dump");

        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode config = new ObjectMapper().readTree(seen.toFile());
        JsonNode expected = new ObjectMapper().readTree(manifest);
        assertThat(config.path("_custom_key").asText()).isEqualTo("custom-value");
        assertThat(config.path("__injected_declarative_manifest")).isEqualTo(expected);
        assertThat(config.has("_select")).isFalse();
        assertThat(config.has("_limits")).isFalse();
        assertThat(config.has("limits")).isFalse();
    }
}
