package io.tapline.internal.runner.process;

import io.tapline.ContainerImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.ResourceLimits;
import io.tapline.spi.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerLauncherTest {
    private static final Path HOST = Path.of("/tmp/tapline-x-123");

    @Test
    void readCommandLineMountsThePrivateFolderAndRewritesItsPaths() {
        ContainerImage launcher = ContainerImage.image("airbyte/source-faker:6.2.0").network("none").memory("1g")
                .cpus("1.5").build();

        List<String> argv = DockerLauncher.commandLine(launcher, "tapline-faker-1", List.of("read", "--config", HOST + "/config.json",
                "--catalog", HOST + "/catalog.json", "--state", HOST + "/state.json"), HOST, List.of(), ResourceLimits.none());

        assertThat(argv).containsExactly("docker", "run", "--rm", "-i", "--name", "tapline-faker-1",
                "--network", "none", "--memory", "1g", "--cpus", "1.5",
                "-v", "/tmp/tapline-x-123:/config",
                "airbyte/source-faker:6.2.0",
                "read", "--config", "/config/config.json", "--catalog", "/config/catalog.json",
                "--state", "/config/state.json");
    }

    @Test
    void podmanRuntimeFlagsComeBeforeRunAndExtraRunArgsBeforeTheImage() {
        ContainerImage launcher = ContainerImage.image("localhost/source-faker:dev")
                .runtime(List.of("podman", "--storage-driver", "vfs", "--runtime", "runc", "--cgroup-manager", "cgroupfs"))
                .user("1000:1000").runArgs(List.of("-v", "/usr:/usr:ro")).build();

        List<String> argv = DockerLauncher.commandLine(launcher, "n", List.of("spec"), HOST, List.of(), ResourceLimits.none());

        assertThat(argv).containsExactly("podman", "--storage-driver", "vfs", "--runtime", "runc", "--cgroup-manager",
                "cgroupfs", "run", "--rm", "-i", "--name", "n", "--user", "1000:1000", "-v", "/tmp/tapline-x-123:/config",
                "-v", "/usr:/usr:ro", "localhost/source-faker:dev", "spec");
    }

    @Test
    void environmentIsPassedByNameSoValuesStayOffTheCommandLine() {
        List<String> argv = DockerLauncher.commandLine(ContainerImage.image("img").build(), "n", List.of("check", "--config", HOST + "/config.json"), HOST, List.of("TOKEN", "API_KEY"), ResourceLimits.none());

        assertThat(argv).containsSubsequence("-e", "API_KEY", "-e", "TOKEN", "img");
        assertThat(String.join(" ", argv)).doesNotContain("=");
    }

    @Test
    void argumentsOutsideThePrivateFolderAreLeftAlone() {
        List<String> argv = DockerLauncher.commandLine(ContainerImage.image("img").build(), "n", List.of("read", "--config", "/tmp/tapline-x-1234/config.json"), HOST, List.of(), ResourceLimits.none());

        assertThat(argv).endsWith("read", "--config", "/tmp/tapline-x-1234/config.json");
    }

    @Test
    void blankImageOrEmptyRuntimeIsAConfigError() {
        assertThatThrownBy(() -> ContainerImage.image(" ").build()).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ContainerImage.image("img").runtime(List.of()).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("runtime");
    }
}
