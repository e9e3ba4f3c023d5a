package io.tapline.internal.runner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.runner.project.ProjectFile;
import io.tapline.internal.state.history.HistoryLocation;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tapline.history}: a DuckDB file by default or by name, a database by URI, or off. */
class OpsConfigHistoryTest {
    @TempDir Path dir;

    private Optional<HistoryLocation> history(String section, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("meltano.yml"), "version: 1\nplugins: {}\n" + section);
        return OpsConfig.load(ProjectFile.load(dir.resolve("meltano.yml"), env, PluginCatalog.bundled()), env).history();
    }

    @Test
    void theDefaultIsTheDuckDbFileInTheProject() throws IOException {
        assertThat(history("", Map.of())).contains(new HistoryLocation.File(dir.resolve(".tapline/system.duckdb")));
    }

    @Test
    void aPathIsADuckDbFileRelativeToTheProject() throws IOException {
        assertThat(history("tapline:\n  history: runs/h.duckdb\n", Map.of()))
                .contains(new HistoryLocation.File(dir.resolve("runs/h.duckdb")));
    }

    @Test
    void aPostgresqlUriIsADatabaseWithItsVariablesExpandedAndItsPasswordMaskedInDescriptions() throws IOException {
        Optional<HistoryLocation> h = history("tapline:\n  history: postgresql://u:${PW}@db:5432/runs\n",
                Map.of("PW", "s3cr3t-pw"));
        assertThat(h).contains(new HistoryLocation.Database(URI.create("postgresql://u:s3cr3t-pw@db:5432/runs")));
        assertThat(h.get().describe()).isEqualTo("postgresql://***@db:5432/runs");
        assertThat(h.get().toString()).doesNotContain("s3cr3t-pw");
    }

    @Test
    void falseTurnsTheHistoryOff() throws IOException {
        assertThat(history("tapline:\n  history: false\n", Map.of())).isEmpty();
    }
}
