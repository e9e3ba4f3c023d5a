package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tapline config}: Meltano's {@code config list} / {@code config print} (CASES.md E19-E21). */
class ConfigCommandTest {
    @TempDir Path dir;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    private void project() throws IOException {
        Files.writeString(dir.resolve("meltano.yml"), """
                plugins:
                  extractors:
                  - name: tap-mock
                    namespace: tap_mock
                    settings:
                    - {name: test, value: mock}
                    - {name: secure, kind: password}
                    config: {host: db.internal}
                  - name: tap-mock-inherited
                    inherit_from: tap-mock
                """);
        Files.writeString(dir.resolve(".env"), "TAP_MOCK_SECURE=s3cret-from-dotenv\n");
    }

    @Test
    void e19_listRedactsASecretFromDotenvAndSaysWhereItCameFrom() throws IOException {
        project();
        String out = run("-p", dir.toString(), "config", "tap-mock", "list");
        assertThat(out).contains("secure [env: TAP_MOCK_SECURE] current value: (redacted) (from the TAP_MOCK_SECURE "
                + "variable in `.env`)");
        assertThat(out).contains("test [env: TAP_MOCK_TEST] current value: mock (default)");
        assertThat(out).contains("host [env: TAP_MOCK_HOST] current value: db.internal (from `meltano.yml`)");
        assertThat(out).doesNotContain("s3cret-from-dotenv");
    }

    @Test
    void e20_inheritedSecretIsRedactedAndMarkedInherited() throws IOException {
        project();
        String out = run("-p", dir.toString(), "config", "tap-mock-inherited", "list");
        assertThat(out).contains("secure [env: TAP_MOCK_INHERITED_SECURE] current value: (redacted) (inherited from "
                + "the parent plugin)");
        assertThat(out).doesNotContain("s3cret-from-dotenv");
    }

    @Test
    void e21_printAsEnvMasksSecrets() throws IOException {
        project();
        String out = run("-p", dir.toString(), "config", "tap-mock", "print", "--format", "env");
        assertThat(out).contains("TAP_MOCK_TEST=\"mock\"").contains("TAP_MOCK_SECURE=\"*****\"");
        assertThat(out).doesNotContain("s3cret-from-dotenv");
        assertThat(run("-p", dir.toString(), "config", "tap-mock")).contains("\"secure\" : \"(redacted)\"")
                .contains("\"host\" : \"db.internal\"");
        assertThat(run("-p", dir.toString(), "config", "tap-mock", "--unsafe")).contains("s3cret-from-dotenv");
    }
}
