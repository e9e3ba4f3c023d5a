package io.tapline;

import io.tapline.internal.runner.project.ProjectSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.ConfigException;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateWriteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Meltano's {@code state_backend}: a {@code file://} URI puts state where Meltano keeps it. */
class ProjectStateBackendTest {
    @TempDir Path dir;

    private ProjectSession project(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("meltano.yml"), yaml);
        return ProjectSession.open(dir, env);
    }

    @Test
    void fileUriStoresStateInMeltanosLayoutThere() throws IOException {
        Path shared = dir.resolve("shared-state");
        ProjectSession p = project("state_backend:\n  uri: file://" + shared + "\nplugins: {}\n", Map.of());
        p.stateStore().save("dev:tap-a-to-target-b", new StateBlob("{\"bookmarks\":{}}"), StateWriteMode.COMPLETE);
        assertThat(shared.resolve("dev:tap-a-to-target-b").resolve("state.json")).exists();
    }

    @Test
    void e26_theEnvironmentVariableOverridesTheProjectFile() throws IOException {
        Path fromEnv = dir.resolve("from-env");
        ProjectSession p = project("state_backend:\n  uri: file://" + dir.resolve("from-yml") + "\nplugins: {}\n",
                Map.of("MELTANO_STATE_BACKEND_URI", "file://" + fromEnv));
        p.stateStore().save("x", new StateBlob("{}"), StateWriteMode.COMPLETE);
        assertThat(fromEnv.resolve("x").resolve("state.json")).exists();
        assertThat(dir.resolve("from-yml")).doesNotExist();
    }

    @Test
    void systemdbIsTaplinesDefaultFolder() throws IOException {
        ProjectSession p = project("state_backend:\n  uri: systemdb\nplugins: {}\n", Map.of());
        p.stateStore().save("x", new StateBlob("{}"), StateWriteMode.COMPLETE);
        assertThat(dir.resolve(".tapline/state/x/state.json")).exists();
    }

    @Test
    void aSchemeNoBackendServesIsRefusedNamingItWithoutShowingCredentials() throws IOException {
        ProjectSession p = project("state_backend:\n  uri: ftp://AKIAKEY:secretvalue@bucket/prefix?password=pw2secret\nplugins: {}\n",
                Map.of());
        assertThatThrownBy(p::stateStore).isInstanceOf(ConfigException.class)
                .hasMessageContaining("scheme 'ftp'").hasMessageContaining("file")
                .hasMessageNotContaining("secretvalue").hasMessageNotContaining("AKIAKEY").hasMessageNotContaining("pw2secret");
    }

    @Test
    void theFileBackendIsFoundByItsSchemeThroughTheProviderLookup() throws IOException {
        Path shared = dir.resolve("shared-state");
        try (StateBackend backend = project("state_backend:\n  uri: file://" + shared + "\nplugins: {}\n", Map.of())
                .stateStore()) {
            backend.save("a", new StateBlob("{\"n\":1}"), StateWriteMode.COMPLETE);
            assertThat(backend.stateIds(Optional.empty())).containsExactly("a");
            assertThat(backend.describe()).contains(shared.getFileName().toString());
        }
    }

    @Test
    void stateBackendSettingsComeFromTheProjectFileDotEnvAndTheEnvironmentInThatOrderOfPrecedence() throws IOException {
        Files.writeString(dir.resolve(".env"), "MELTANO_STATE_BACKEND_POSTGRESQL_USER=from-dotenv\n"
                + "MELTANO_STATE_BACKEND_POSTGRESQL_SSLMODE=from-dotenv\nSCHEMA_VAR=expanded\n");
        ProjectSession p = project("""
                state_backend:
                  uri: systemdb
                  lease_ttl_seconds: 4
                  postgresql:
                    user: from-yml
                    sslmode: from-yml
                    table: from-yml
                    schema: $SCHEMA_VAR
                plugins: {}
                """, Map.of("MELTANO_STATE_BACKEND_POSTGRESQL_SSLMODE", "from-env"));
        assertThat(p.config().stateBackend().settings()).containsEntry("postgresql.user", "from-dotenv")
                .containsEntry("postgresql.sslmode", "from-env").containsEntry("postgresql.table", "from-yml")
                .containsEntry("postgresql.schema", "expanded").containsEntry("lease_ttl_seconds", "4");
    }

    @Test
    void aLeaseShorterThanTwoHeartbeatsIsRefused() throws IOException {
        ProjectSession p = project("state_backend:\n  lease_ttl_seconds: 1\n  lease_heartbeat_seconds: 1\nplugins: {}\n", Map.of());
        assertThatThrownBy(p::stateStore).hasMessageContaining("two heartbeat");
    }
}
