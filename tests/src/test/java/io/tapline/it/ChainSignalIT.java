package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * SIGTERM to tapline while it runs tap -> mapper -> external target: every process of the chain
 * (and the tap's child) is stopped, the state the target confirmed stays saved, exit is non-zero.
 */
@Timeout(180)
class ChainSignalIT {
    @TempDir Path dir;

    @Test
    void sigtermStopsEveryProcessOfTheChainAndKeepsTheConfirmedState() throws Exception {
        Path pids = dir.resolve("pids");
        Path tap = script("slow-tap.sh", String.join("\n", "#!/usr/bin/env bash",
                "echo '{\"type\":\"SCHEMA\",\"stream\":\"items\",\"schema\":{\"properties\":{\"id\":{\"type\":\"integer\"}}},\"key_properties\":[]}'",
                "echo '{\"type\":\"RECORD\",\"stream\":\"items\",\"record\":{\"id\":1}}'",
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":1}}'",
                "sleep 600 &",
                "echo \"$! $$\" >> '" + pids + "'",
                "wait", ""));
        Path mapper = script("mapper.sh", "#!/usr/bin/env bash\necho $$ >> '" + pids + "'\nexec cat\n");
        Path target = script("target.py", String.join("\n", "#!/usr/bin/env python3",
                "import json, os, sys",
                "open('" + pids + "', 'a').write(str(os.getpid()) + '\\n')",
                "for line in sys.stdin:",
                "    m = json.loads(line)",
                "    if m['type'] == 'STATE':",
                "        print(json.dumps(m['value']), flush=True)",
                "        open('" + dir.resolve("confirmed") + "', 'w').write('1')", ""));
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: slow-tap
                      executable: %s
                  mappers:
                    - name: pass
                      executable: %s
                      mappings:
                        - name: pass-through
                  loaders:
                    - name: target-script
                      executable: %s
                """.formatted(tap, mapper, target));

        Process tapline = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tapline.internal.runner.cli.Main", "-p", dir.toString(), "run", "slow-tap", "pass-through", "target-script"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("tapline.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(dir.resolve("confirmed")) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(dir.resolve("confirmed")).as(Files.readString(dir.resolve("tapline.log"))).exists();
        FileStateStore store = FileStateStore.at(dir.resolve(".tapline/state"));
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.read("dev:slow-tap-to-target-script").isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the target printed it; tapline saves it next
        }

        tapline.destroy(); // SIGTERM
        assertThat(tapline.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(tapline.exitValue()).isNotZero();
        assertThat(store.read("dev:slow-tap-to-target-script")).contains(new StateBlob("{\"at\":1}"));
        for (String pid : Files.readString(pids).trim().split("\\s+")) {
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); // a killed process may await reaping
            while (isAlive(pid) && System.nanoTime() < end) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            assertThat(isAlive(pid)).as("process %s left behind", pid).isFalse();
        }
    }

    private Path script(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static boolean isAlive(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }
}
