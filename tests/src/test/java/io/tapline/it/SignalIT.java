package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.it.support.Duck;
import io.tapline.spi.StateBlob;
import io.tapline.internal.state.file.FileStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to tapline mid-run: the tap tree is stopped, what came before its last STATE is committed, exit is non-zero. */
@Timeout(180)
class SignalIT {
    @TempDir Path dir;

    @Test
    void sigtermStopsTheTapCommitsItsLastStateAndExitsNonZero() throws Exception {
        Path pidFile = dir.resolve("tap.pid");
        Path tap = dir.resolve("slow-tap.sh");
        Files.writeString(tap, String.join("\n", "#!/usr/bin/env bash",
                "echo '{\"type\":\"SCHEMA\",\"stream\":\"items\",\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}},\"key_properties\":[]}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":1}}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":2}}'",
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":2}}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":3}}'",
                "sleep 600 &",
                "echo \"$! $$\" > '" + pidFile + "'",
                "wait", ""));
        Files.setPosixFilePermissions(tap, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: slow-tap
                      executable: %s
                  loaders:
                    - name: target-duckdb
                      variant: tapline
                """.formatted(tap));

        Process tapline = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", dir.toString(), "run", "slow-tap", "target-duckdb"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("tapline.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(pidFile).exists();
        // the tap's lines are in the pipe; give the runner a moment to read them (no observable signal)
        LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());

        tapline.destroy(); // SIGTERM
        assertThat(tapline.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(tapline.exitValue()).isNotZero();
        assertThat(FileStateStore.at(dir.resolve(".tapline/state")).read("dev:slow-tap-to-target-duckdb"))
                .contains(new StateBlob("{\"at\":2}"));
        assertThat(Duck.count(dir.resolve("warehouse.duckdb"), "items")).isEqualTo(2);
        for (String pid : Files.readString(pidFile).trim().split(" ")) {
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // a killed process may await reaping
            while (isAlive(pid) && System.nanoTime() < end) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            assertThat(isAlive(pid)).as("tap process %s left behind", pid).isFalse();
        }
    }

    private static boolean isAlive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }
}
