package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.it.support.OutputLines;
import io.tapline.it.support.ProcessExits;
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
                "sleep 600 &",
                "echo \"$! $$\" >> '" + pids + "'", // before the STATE: once it is confirmed, every pid is listed
                "echo '{\"type\":\"STATE\",\"value\":{\"at\":1}}'",
                "wait", ""));
        Path mapper = script("mapper.sh", "#!/usr/bin/env bash\necho $$ >> '" + pids + "'\nexec cat\n");
        Path target = script("target.py", String.join("\n", "#!/usr/bin/env python3",
                "import json, os, sys",
                "open('" + pids + "', 'a').write(str(os.getpid()) + '\\n')",
                "for line in sys.stdin:",
                "    m = json.loads(line)",
                "    if m['type'] == 'STATE':",
                "        print(json.dumps(m['value']), flush=True)", ""));
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
                .redirectErrorStream(true).start();
        OutputLines output = OutputLines.of(tapline, dir.resolve("tapline.log"));
        // the target confirmed the state and tapline saved it: the event the SIGTERM must come after
        output.await("Saved state for dev:slow-tap-to-target-script confirmed by target-script", Duration.ofSeconds(60));
        FileStateStore store = FileStateStore.at(dir.resolve(".tapline/state"));

        tapline.destroy(); // SIGTERM
        assertThat(tapline.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(tapline.exitValue()).isNotZero();
        assertThat(store.read("dev:slow-tap-to-target-script")).contains(new StateBlob("{\"at\":1}"));
        for (String pid : Files.readString(pids).trim().split("\\s+")) {
            assertThat(ProcessExits.await(Long.parseLong(pid), Duration.ofSeconds(10)))
                    .as("process %s left behind", pid).isTrue(); // a killed process may await reaping
        }
    }

    private Path script(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
