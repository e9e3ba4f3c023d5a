package io.tapline.internal.runner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.internal.runner.process.Secrets;
import io.tapline.internal.state.file.FileStateStore;
import io.tapline.spi.ConfigException;
import io.tapline.spi.RunFinished;
import io.tapline.spi.RunListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLifecycleTest {
    @TempDir Path dir;

    @Test
    void theFailureRunHistoryAndAlertsReceiveHasTheTapsSecretsMasked() {
        List<RunFinished> finished = new ArrayList<>();
        RunListener recording = new RunListener() {
            @Override
            public void runFinished(RunFinished run) { finished.add(run); }
        };
        String secret = "pw-123-secret";
        String message = "connect db.example with " + secret + " failed";

        assertThatThrownBy(() -> RunLifecycle.run("p", "dev:tap-to-target", FileStateStore.at(dir), recording,
                Secrets.ofValues(List.of(secret)), () -> { throw new ConfigException(message); }))
                .hasMessage(message); // the exception itself passes through unchanged

        assertThat(finished).singleElement().satisfies(run -> {
            assertThat(run.status()).isEqualTo(RunFinished.Status.FAILED);
            assertThat(run.error()).contains("connect db.example with **** failed");
            assertThat(run.exitCode()).isEqualTo(2);
        });
    }
}
