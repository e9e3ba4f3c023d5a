package io.tapline.internal.runner.process;

import io.tapline.ContainerImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tapline.ResourceLimits;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The launch policy on real processes: environment, limits, masking and levels, missing executables. */
@Timeout(60)
class LauncherTest {
    private static final String SECRET = "s3cr3t-value-42";
    private static final Duration EXIT = Duration.ofSeconds(30);

    @TempDir Path dir;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Logger pluginLog;

    @BeforeEach
    void captureThePluginLogger() {
        pluginLog = (Logger) LoggerFactory.getLogger("tapline.plugin.tap-x");
        pluginLog.setLevel(Level.TRACE);
        logged.start();
        pluginLog.addAppender(logged);
    }

    @AfterEach
    void detach() {
        pluginLog.detachAppender(logged);
    }

    @Test
    void aVariablePlantedInTaplinesEnvironmentDoesNotReachAPluginInCleanMode() throws IOException {
        Launcher launcher = new Launcher(parentWith("PLANTED_CLOUD_TOKEN", "planted-1"));

        String env = stdout(launcher.start(spec(List.of("env"), PluginEnvironment.Mode.CLEAN)));

        assertThat(env).doesNotContain("PLANTED_CLOUD_TOKEN").doesNotContain("planted-1")
                .contains("TAP_X_OWN=own-1") // named for the plugin: passed on
                .contains("TAP_X_PASSWORD=" + SECRET) // its settings environment
                .contains("PATH=");
    }

    @Test
    void inheritModePassesTaplinesWholeEnvironment() throws IOException {
        Launcher launcher = new Launcher(parentWith("PLANTED_CLOUD_TOKEN", "planted-1"));

        String env = stdout(launcher.start(spec(List.of("env"), PluginEnvironment.Mode.INHERIT)));

        assertThat(env).contains("PLANTED_CLOUD_TOKEN=planted-1").contains("TAP_X_PASSWORD=" + SECRET);
    }

    @Test
    void chainStagesGetTheSameCleanEnvironment() throws IOException {
        Launcher launcher = new Launcher(parentWith("PLANTED_CLOUD_TOKEN", "planted-1"));
        LaunchSpec tap = spec(List.of("env"), PluginEnvironment.Mode.CLEAN);
        LaunchSpec mapper = new LaunchSpec("mapper-y", LaunchSpec.Role.MAPPER, List.of("sh", "-c", "cat; env"), dir,
                Map.of("MAPPER_Y_KEY", "m"), PluginEnvironment.Mode.CLEAN, ResourceLimits.none(), Secrets.none(),
                new LaunchSpec.Local(), LaunchSpec.Stdin.NONE);

        String out = stdout(launcher.startChain(List.of(tap, mapper)));

        assertThat(out).doesNotContain("PLANTED_CLOUD_TOKEN").contains("TAP_X_OWN=own-1").contains("MAPPER_Y_KEY=m");
    }

    @Test
    void limitsApplyToASingleProcessAndToEveryChainStage() throws IOException {
        Launcher launcher = new Launcher(parentWith("UNUSED", "x"));
        ResourceLimits limits = new ResourceLimits(Optional.empty(), Optional.empty(), Optional.of(77));
        LaunchSpec single = withLimits(spec(List.of("sh", "-c", "ulimit -n"), PluginEnvironment.Mode.CLEAN), limits);
        LaunchSpec stage = withLimits(new LaunchSpec("mapper-y", LaunchSpec.Role.MAPPER,
                List.of("sh", "-c", "cat; ulimit -n"), dir, Map.of(), PluginEnvironment.Mode.CLEAN,
                ResourceLimits.none(), Secrets.none(), new LaunchSpec.Local(), LaunchSpec.Stdin.NONE), limits);

        assertThat(stdout(launcher.start(single)).strip()).isEqualTo("77");
        assertThat(stdout(launcher.startChain(List.of(single, stage))).strip().split("\n")).containsExactly("77", "77");
    }

    @Test
    void stderrIsMaskedInTheLogAndInTheTailOfTheError() throws IOException {
        Launcher launcher = new Launcher(parentWith("UNUSED", "x"));
        LaunchSpec spec = spec(List.of("sh", "-c", "echo \"config: {\\\"password\\\": \\\"$TAP_X_PASSWORD\\\"}\" >&2; exit 3"),
                PluginEnvironment.Mode.CLEAN);

        try (RunningPlugin p = launcher.start(spec)) {
            p.stdout().readAllBytes();
            int exit = p.waitFor(EXIT);
            assertThat(exit).isEqualTo(3);
            assertThat(p.failure(exit).getMessage()).contains("\"password\": \"****\"").doesNotContain(SECRET);
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("config: {\"password\": \"****\"}");
    }

    @Test
    void pluginStderrLinesKeepTheirLevel() throws IOException {
        Launcher launcher = new Launcher(parentWith("UNUSED", "x"));
        String script = String.join("; ",
                "echo 'ERROR:root:connection refused' >&2",
                "echo '2024-05-01 10:00:00,123 WARNING tap-x | rate limited' >&2",
                "echo '{\"level\": \"debug\", \"message\": \"page 2\"}' >&2",
                "echo 'time=2024-05-01 level=error msg=boom' >&2",
                "echo '{\"type\":\"LOG\",\"log\":{\"level\":\"WARN\",\"message\":\"slow\"}}' >&2",
                "echo '{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"error\":{\"message\":\"x\"}}}' >&2",
                "echo 'Syncing stream users' >&2");

        try (RunningPlugin p = launcher.start(spec(List.of("sh", "-c", script), PluginEnvironment.Mode.CLEAN))) {
            p.stdout().readAllBytes();
            p.waitFor(EXIT);
        }

        assertThat(logged.list).extracting(e -> e.getLevel().toString())
                .containsExactly("ERROR", "WARN", "DEBUG", "ERROR", "WARN", "ERROR", "INFO");
    }

    @Test
    void aPluginWithoutAnExecutableFailsWithExitTwoSayingWhatToAddAndNothingOfItsEnvironment() {
        Launcher launcher = new Launcher(parentWith("UNUSED", "x"));

        assertThatThrownBy(() -> launcher.start(spec(List.of("tap-not-installed-anywhere"), PluginEnvironment.Mode.CLEAN)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.PLUGIN_EXECUTABLE_MISSING);
                    assertThat(e.errorCode().exitCode()).isEqualTo(2);
                })
                .hasMessageContaining("'tap-not-installed-anywhere'").hasMessageContaining("pip_url")
                .hasMessageContaining("executable").hasMessageContaining("catalog")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("TAP_X_PASSWORD")
                        .doesNotContain("own-1"));
    }

    @Test
    void aMissingExecutableInAChainIsTheSameConfigError() {
        Launcher launcher = new Launcher(parentWith("UNUSED", "x"));
        LaunchSpec tap = spec(List.of("env"), PluginEnvironment.Mode.CLEAN);
        LaunchSpec target = new LaunchSpec("target-z", LaunchSpec.Role.TARGET, List.of(dir.resolve("nope").toString()),
                dir, Map.of(), PluginEnvironment.Mode.CLEAN, ResourceLimits.none(), Secrets.none(),
                new LaunchSpec.Local(), LaunchSpec.Stdin.NONE);

        assertThatThrownBy(() -> launcher.startChain(List.of(tap, target))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("plugin 'target-z'").hasMessageContaining("does not exist");
    }

    @Test
    void aContainerSeesOnlyThePluginsVariablesAndItsLimitsBecomeRuntimeFlags() throws IOException {
        Path runtime = dir.resolve("fake-runtime");
        Files.writeString(runtime, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Launcher launcher = new Launcher(parentWith("PLANTED_CLOUD_TOKEN", "planted-1"));
        LaunchSpec spec = new LaunchSpec("tap-x", LaunchSpec.Role.AIRBYTE_SOURCE, List.of("spec"), dir,
                Map.of("TAP_X_PASSWORD", SECRET), PluginEnvironment.Mode.CLEAN,
                new ResourceLimits(Optional.empty(), Optional.empty(), Optional.of(64)), Secrets.none(),
                new LaunchSpec.Container(ContainerImage.image("img").runtime(List.of(runtime.toString())).build(), dir),
                LaunchSpec.Stdin.NONE);

        List<String> args = List.of(stdout(launcher.start(spec)).split("\n"));

        assertThat(args).containsSubsequence("--ulimit", "nofile=64:64").containsSubsequence("-e", "TAP_X_OWN")
                .containsSubsequence("-e", "TAP_X_PASSWORD").doesNotContain("PLANTED_CLOUD_TOKEN")
                .doesNotContain(SECRET); // a value never goes on the command line
    }

    private LaunchSpec spec(List<String> argv, PluginEnvironment.Mode mode) {
        return new LaunchSpec("tap-x", LaunchSpec.Role.TAP, argv, dir, Map.of("TAP_X_PASSWORD", SECRET), mode,
                ResourceLimits.none(), Secrets.ofValues(List.of(SECRET)), new LaunchSpec.Local(), LaunchSpec.Stdin.NONE);
    }

    private static LaunchSpec withLimits(LaunchSpec s, ResourceLimits limits) {
        return new LaunchSpec(s.name(), s.role(), s.argv(), s.workingDirectory(), s.environment(), s.environmentMode(),
                limits, s.secrets(), s.where(), s.stdin());
    }

    private static Map<String, String> parentWith(String name, String value) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.put("HOME", System.getProperty("user.home"));
        env.put("TAP_X_OWN", "own-1");
        env.put(name, value);
        return env;
    }

    private static String stdout(RunningPlugin p) throws IOException {
        try (p) {
            String out = new String(p.stdout().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(EXIT)).isZero();
            return out;
        }
    }
}
