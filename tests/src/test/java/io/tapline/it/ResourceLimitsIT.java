package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.Pipeline;
import io.tapline.ResourceLimits;
import io.tapline.Tap;
import io.tapline.it.support.TestTaps;
import io.tapline.spi.PluginFailedException;
import io.tapline.internal.runner.cli.Main;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.jsonl.JsonlTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Per-plugin OS limits: a tap over its memory, CPU time or open-files limit fails clearly; one within them runs. */
@Timeout(180)
class ResourceLimitsIT {
    private static final String SCHEMA = "import sys\nprint('{\"type\":\"SCHEMA\",\"stream\":\"s\",\"schema\":{\"properties\":"
            + "{\"id\":{\"type\":\"integer\"}}},\"key_properties\":[]}', flush=True)\n";

    @TempDir Path dir;

    @Test
    void aTapAllocatingBeyondItsMemoryLimitFailsNamingTheLimit() throws Exception {
        Path tap = python("hog.py", SCHEMA + "x = bytearray(400 * 1024 * 1024)\n");
        Files.writeString(dir.resolve("meltano.yml"), """
                version: 1
                default_environment: dev
                plugins:
                  extractors:
                    - name: hog
                      executable: %s
                      capabilities: [state]
                      limits: {memory: 150MiB}
                  loaders:
                    - name: target-jsonl
                      variant: tapline
                """.formatted(tap));
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "-p", dir.toString(), "run", "hog", "target-jsonl");
        assertThat(exit).isEqualTo(4);
        assertThat(err.toString()).contains("MemoryError").contains("ran with limits (memory 150 MiB)");
    }

    @Test
    void aTapSpinningBeyondItsCpuTimeIsStoppedBySigxcpu() throws Exception {
        Path tap = python("spin.py", SCHEMA + "while True:\n    pass\n");
        assertThatThrownBy(() -> run(tap, ResourceLimits.none().withCpuTime(Duration.ofSeconds(1))))
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("exited with code 152")
                .hasMessageContaining("CPU time limit ran out");
    }

    @Test
    void aTapOpeningMoreFilesThanAllowedFails() throws Exception {
        Path tap = python("files.py", SCHEMA + "fs = [open('" + dir.resolve("f") + "' + str(i), 'w') for i in range(64)]\n");
        assertThatThrownBy(() -> run(tap, ResourceLimits.none().withOpenFiles(16)))
                .isInstanceOf(PluginFailedException.class)
                .hasMessageContaining("Too many open files")
                .hasMessageContaining("open files 16");
    }

    @Test
    void aTapWithinItsLimitsRunsNormally() {
        Path tap = TestTaps.script(dir, "counting_tap.py");
        var result = run(tap, ResourceLimits.none().withMemory(512L << 20).withCpuTime(Duration.ofSeconds(60))
                .withOpenFiles(256));
        assertThat(result.rowsWritten()).isEqualTo(10);
    }

    private io.tapline.RunResult run(Path tap, ResourceLimits limits) {
        Path out = dir.resolve("out");
        return Pipeline.builder()
                .tap(Tap.singer("limited").command(List.of(tap.toString())).limits(limits)
                        .environment(Map.of()).build())
                .target(allocator -> JsonlTarget.open(JsonlTarget.at(out).build()))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .build()
                .run();
    }

    private Path python(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/usr/bin/env python3\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
