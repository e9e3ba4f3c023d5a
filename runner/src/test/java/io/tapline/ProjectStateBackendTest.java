package io.tapline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.StateBlob;
import io.tapline.spi.StateWriteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Meltano's {@code state_backend}: a {@code file://} URI puts state where Meltano keeps it. */
class ProjectStateBackendTest {
    @TempDir Path dir;

    private Project project(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("meltano.yml"), yaml);
        return Project.open(dir, env);
    }

    @Test
    void fileUriStoresStateInMeltanosLayoutThere() throws IOException {
        Path shared = dir.resolve("shared-state");
        Project p = project("state_backend:\n  uri: file://" + shared + "\nplugins: {}\n", Map.of());
        p.stateStore().save("dev:tap-a-to-target-b", new StateBlob("{\"bookmarks\":{}}"), StateWriteMode.COMPLETE);
        assertThat(shared.resolve("dev:tap-a-to-target-b").resolve("state.json")).exists();
    }

    @Test
    void e26_theEnvironmentVariableOverridesTheProjectFile() throws IOException {
        Path fromEnv = dir.resolve("from-env");
        Project p = project("state_backend:\n  uri: file://" + dir.resolve("from-yml") + "\nplugins: {}\n",
                Map.of("MELTANO_STATE_BACKEND_URI", "file://" + fromEnv));
        p.stateStore().save("x", new StateBlob("{}"), StateWriteMode.COMPLETE);
        assertThat(fromEnv.resolve("x").resolve("state.json")).exists();
        assertThat(dir.resolve("from-yml")).doesNotExist();
    }

    @Test
    void systemdbIsTaplinesDefaultFolder() throws IOException {
        Project p = project("state_backend:\n  uri: systemdb\nplugins: {}\n", Map.of());
        p.stateStore().save("x", new StateBlob("{}"), StateWriteMode.COMPLETE);
        assertThat(dir.resolve(".tapline/state/x/state.json")).exists();
    }

    @Test
    void cloudBackendsAreRefusedWithoutShowingCredentials() throws IOException {
        Project p = project("state_backend:\n  uri: s3://AKIAKEY:secretvalue@bucket/prefix\nplugins: {}\n", Map.of());
        assertThatThrownBy(p::stateStore).hasMessageContaining("only file://").hasMessageNotContaining("secretvalue");
    }
}
