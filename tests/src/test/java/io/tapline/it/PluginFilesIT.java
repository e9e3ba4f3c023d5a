package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.Pipeline;
import io.tapline.Tap;
import io.tapline.spi.PluginFailedException;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config handed to a tap is private to it (0600 in a 0700 folder) and gone after the run, failed or not. */
class PluginFilesIT {
    @TempDir Path dir;

    @Test
    void configFileIsPrivateAndDeletedAfterARunThatFails() throws Exception {
        Path report = dir.resolve("report.txt");
        Path tap = dir.resolve("inspecting-tap.sh");
        // records what it was given, then fails
        Files.writeString(tap, String.join("\n", "#!/usr/bin/env bash",
                "while [ $# -gt 0 ]; do case \"$1\" in --config) cfg=\"$2\"; shift;; esac; shift; done",
                "{ echo \"$cfg\"; stat -c %a \"$cfg\"; stat -c %a \"$(dirname \"$cfg\")\"; cat \"$cfg\"; echo; } > '" + report + "'",
                "exit 5", ""));
        Files.setPosixFilePermissions(tap, PosixFilePermissions.fromString("rwxr-xr-x"));
        var config = new ObjectMapper().createObjectNode().put("password", "hunter2-secret");
        var target = DuckDbTarget.file(dir.resolve("w.duckdb")).build();
        Pipeline pipeline = Pipeline.builder()
                .tap(Tap.singer("inspecting-tap").command(tap).config(config).build())
                .target(allocator -> DuckDbTarget.open(target, allocator))
                .stateStore(FileStateStore.at(dir.resolve("state")))
                .build();

        assertThatThrownBy(pipeline::run).isInstanceOf(PluginFailedException.class)
                .hasMessageNotContaining("hunter2-secret");

        List<String> seen = Files.readAllLines(report);
        Path configFile = Path.of(seen.get(0));
        assertThat(seen.get(1)).isEqualTo("600");
        assertThat(seen.get(2)).isEqualTo("700");
        assertThat(seen.get(3)).contains("hunter2-secret"); // the tap did get its config
        assertThat(configFile).doesNotExist();
        assertThat(configFile.getParent()).doesNotExist();
    }
}
