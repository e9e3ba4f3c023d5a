package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A tap that dumps its environment: by default it sees only what it needs, its own variables and its env:. */
@Timeout(180)
class PluginEnvironmentIT {
    @TempDir Path dir;

    @Test
    void aTapGetsACleanEnvironmentWithItsOwnVariablesAndItsConfiguredEnv() throws Exception {
        Map<String, String> seen = runAndDump(false);
        assertThat(seen).containsKeys("PATH", "HOME").containsEntry("ENV_TAP_TOKEN", "mine")
                .containsEntry("FROM_PROJECT", "expanded-from-parent")
                .containsEntry("https_proxy", "http://proxy.example:3128")
                .doesNotContainKeys("AWS_SECRET_ACCESS_KEY", "OTHER_TOOL_TOKEN", "CLASSPATH_HINT");
    }

    @Test
    void inheritEnvPassesTaplinesWholeEnvironment() throws Exception {
        Map<String, String> seen = runAndDump(true);
        assertThat(seen).containsEntry("AWS_SECRET_ACCESS_KEY", "aws-should-stay-home")
                .containsEntry("OTHER_TOOL_TOKEN", "other").containsEntry("FROM_PROJECT", "expanded-from-parent");
    }

    private Map<String, String> runAndDump(boolean inherit) throws Exception {
        Path dump = dir.resolve("env.dump");
        Path tap = dir.resolve("env-tap.sh");
        Files.writeString(tap, "#!/usr/bin/env bash\nenv -0 > '" + dump + "'\n"
                + "echo '{\"type\":\"STATE\",\"value\":{\"done\":true}}'\n");
        Files.setPosixFilePermissions(tap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: env-tap
                      executable: %s
                      capabilities: [state]
                      env: {FROM_PROJECT: "expanded-$PARENT_VALUE"}
                      inherit_env: %s
                  loaders:
                    - name: target-jsonl
                      variant: tapline
                """.formatted(tap, inherit));
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", dir.toString(), "run", "env-tap", "target-jsonl"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("tapline.log").toFile());
        Map<String, String> env = new HashMap<>();
        env.put("AWS_SECRET_ACCESS_KEY", "aws-should-stay-home");
        env.put("OTHER_TOOL_TOKEN", "other");
        env.put("CLASSPATH_HINT", "x");
        env.put("ENV_TAP_TOKEN", "mine");
        env.put("PARENT_VALUE", "from-parent");
        env.put("https_proxy", "http://proxy.example:3128");
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("tapline.log"))).isZero();
        return List.of(Files.readString(dump).split("\0")).stream().filter(s -> s.contains("="))
                .collect(Collectors.toMap(s -> s.substring(0, s.indexOf('=')), s -> s.substring(s.indexOf('=') + 1),
                        (a, b) -> b));
    }
}
