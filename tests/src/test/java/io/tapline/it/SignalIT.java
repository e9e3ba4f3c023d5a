package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.it.support.Fifo;
import io.tapline.it.support.ProcessExits;
import io.tapline.it.support.Duck;
import io.tapline.spi.StateBlob;
import io.tapline.internal.state.file.FileStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to tapline mid-run: the tap tree is stopped, what came before its last STATE is committed, exit is non-zero. */
@Timeout(180)
class SignalIT {
    @TempDir Path dir;

    @Test
    void sigtermStopsTheTapCommitsItsLastStateAndExitsNonZero() throws Exception {
        Fifo ready = Fifo.create(dir.resolve("tap-ready"));
        Path tap = dir.resolve("slow-tap.sh");
        Files.writeString(tap, String.join("\n", "#!/usr/bin/env bash",
                "echo '{\"type\":\"SCHEMA\",\"stream\":\"items\",\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"},\"pad\":{\"type\":\"string\"}}},\"key_properties\":[]}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":1}}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":2}}'",
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":2}}'",
                // 1 MiB more after the STATE: this write returns only once tapline has read (and so parsed) past it
                "pad=$(head -c 65536 /dev/zero | tr '\\0' x)",
                "for i in $(seq 3 18); do echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":'$i',\"pad\":\"'$pad'\"}}'; done",
                "sleep 600 &",
                "echo \"$! $$\" > '" + ready.path() + "'", // the event the test waits for
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
        String pids = ready.read(Duration.ofSeconds(60));
        // the tap's last write returned, so tapline has parsed the STATE: the event the SIGTERM must come after

        tapline.destroy(); // SIGTERM
        assertThat(tapline.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(tapline.exitValue()).isNotZero();
        assertThat(FileStateStore.at(dir.resolve(".tapline/state")).read("dev:slow-tap-to-target-duckdb"))
                .contains(new StateBlob("{\"at\":2}"));
        assertThat(Duck.count(dir.resolve("warehouse.duckdb"), "items")).isEqualTo(2);
        for (String pid : pids.trim().split(" ")) {
            assertThat(ProcessExits.await(Long.parseLong(pid), Duration.ofSeconds(10)))
                    .as("tap process %s left behind", pid).isTrue(); // a killed process may await reaping
        }
    }
}
