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

    @Test
    @org.junit.jupiter.api.Tag("gh-11")
    void listExtrasShowsOnlyTheExtrasWithTheirValuesAndSources() throws IOException {
        project();
        Files.writeString(dir.resolve("meltano.yml"), Files.readString(dir.resolve("meltano.yml")).replace(
                "    config: {host: db.internal}\n",
                "    config: {host: db.internal, _custom_key: kept}\n    limits: {open_files: 64}\n"
                        + "    select: [users.*]\n"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "-p", dir.toString(), "config", "tap-mock",
                "list", "--extras");
        assertThat(code).as(err.toString()).isZero();
        // only extras, each with its variable, the value it really has and where it came from
        assertThat(out.toString().lines()).allMatch(l -> l.startsWith("_"));
        assertThat(out.toString()).contains("_limits [env: TAP_MOCK__LIMITS] current value: {\"open_files\": 64} "
                + "(from `meltano.yml`)");
        assertThat(out.toString()).contains("_select [env: TAP_MOCK__SELECT] current value: [\"users.*\"] "
                + "(from `meltano.yml`)");
        assertThat(out.toString()).contains("_retry [env: TAP_MOCK__RETRY] current value: None (not set)");
        assertThat(out.toString()).doesNotContain("_custom_key").doesNotContain("host [");
        // a config key that starts with _ is a setting, and reaches the config file
        String list = run("-p", dir.toString(), "config", "tap-mock", "list");
        assertThat(list).contains("_custom_key [env: TAP_MOCK__CUSTOM_KEY] current value: kept (from `meltano.yml`)");
        // the plain list shows the extras the project set, with their source, and no defaults
        assertThat(list).contains("_limits [env: TAP_MOCK__LIMITS] current value: {\"open_files\": 64} "
                + "(from `meltano.yml`)").doesNotContain("_retry").doesNotContain("_log_parser");
        assertThat(run("-p", dir.toString(), "config", "tap-mock")).contains("\"_custom_key\" : \"kept\"");
    }

    @Test
    @org.junit.jupiter.api.Tag("gh-11")
    void yamlSyntaxErrorExitsTwoNamingFileLineAndColumnWithTheSecretMasked() throws IOException {
        Files.writeString(dir.resolve("meltano.yml"), """
                # admin password: first-line-secret
                plugins:
                  extractors:
                  - name: tap-mock
                    config: {password: "line-secret, host: x}
                """);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "-p", dir.toString(), "config", "tap-mock");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).containsPattern("meltano\\.yml:\\d+:\\d+: YAML syntax error")
                .doesNotContain("first-line-secret").doesNotContain("line-secret").doesNotContain("plugins:");
    }

    @Test
    @org.junit.jupiter.api.Tag("gh-11")
    void unknownPluginExitsTwoWithDidYouMean() throws IOException {
        project();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), "-p", dir.toString(), "config", "tap-mokc");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("did you mean 'tap-mock'");
    }
}
