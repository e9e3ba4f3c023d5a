package io.tapline.internal.runner.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A project file that is not valid YAML: the error names the place and shows one line, masked. */
@Tag("gh-11")
class YamlErrorsTest {
    private static final String TOP_SECRET = "top-secret-in-line-one";
    private static final String PASSWORD = "hunter2-on-the-error-line";

    @TempDir Path dir;

    private static List<String> lines() {
        return List.of(
                "# api key: " + TOP_SECRET,
                "plugins:",
                "  extractors:",
                "  - name: tap-x",
                "    config:",
                "      password: \"" + PASSWORD,   // the quote is never closed
                "      user: etl");
    }

    private ConfigException loadFailure(Path file) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> ProjectFile.load(dir.resolve("meltano.yml"), Map.of(), PluginCatalog.bundled()));
        assertThat(t).isInstanceOf(ConfigException.class);
        return (ConfigException) t;
    }

    @Test
    void syntaxErrorNamesFileLineAndColumnAndShowsOnlyThatLineMasked() throws IOException {
        Path file = dir.resolve("meltano.yml");
        Files.writeString(file, String.join("\n", lines()) + "\n");
        ConfigException e = loadFailure(file);
        int line = lines().indexOf(lines().stream().filter(l -> l.contains(PASSWORD)).findFirst().orElseThrow()) + 1;
        assertThat(e.getMessage()).contains(file.toAbsolutePath().normalize().toString() + ":")
                .containsPattern(":\\d+:\\d+: YAML syntax error")
                .contains("      password: " + YamlErrors.MASK)
                .doesNotContain(PASSWORD).doesNotContain(TOP_SECRET).doesNotContain("user: etl")
                .doesNotContain("plugins:");
        assertThat(e.errorCode()).isEqualTo(ErrorCode.PROJECT_FILE_INVALID);
        assertThat(e.errorCode().exitCode()).isEqualTo(2);
        assertThat(e.getCause()).isNull(); // the parser's exception quotes the file
        // the unclosed quote is found where the scalar runs out, at or after the password line
        String at = e.getMessage().replaceAll("(?s)^.*?meltano\\.yml:(\\d+):\\d+:.*$", "$1");
        assertThat(Integer.parseInt(at)).isGreaterThanOrEqualTo(line);
    }

    @Test
    void errorOnAPasswordLineShowsThatLineWithTheValueMasked() throws IOException {
        Path file = dir.resolve("meltano.yml");
        // a second ': ' in a plain scalar: the error is on the password line itself (line 6)
        Files.writeString(file, "# " + TOP_SECRET + "\nplugins:\n  extractors:\n  - name: tap-x\n    config:\n"
                + "      password: " + PASSWORD + ": more\n      user: someone-else\n");
        ConfigException e = loadFailure(file);
        assertThat(e.getMessage()).contains("meltano.yml:6:").contains("6 |       password: " + YamlErrors.MASK)
                .doesNotContain(PASSWORD).doesNotContain(TOP_SECRET).doesNotContain("someone-else");
        assertThat(e.getMessage().lines().count()).isEqualTo(2); // the message line and the one file line
    }

    @Test
    void errorInAnIncludedFileNamesThatFile() throws IOException {
        Files.writeString(dir.resolve("meltano.yml"), "include_paths: ['./more/*.yml']\nplugins: {}\n");
        Files.createDirectories(dir.resolve("more"));
        Path sub = dir.resolve("more/secrets.yml");
        Files.writeString(sub, "plugins:\n  extractors:\n  - name: tap-y\n    config: {token: " + PASSWORD + "\n");
        ConfigException e = loadFailure(sub);
        assertThat(e.getMessage()).contains(sub.toString() + ":").doesNotContain(PASSWORD);
    }

    @Test
    void maskingKeepsKeysAndStructureAndHidesEveryValue() {
        assertThat(YamlErrors.masked("    password: \"abc")).isEqualTo("    password: ****");
        assertThat(YamlErrors.masked("  - name: tap-x")).isEqualTo("  - name: ****");
        assertThat(YamlErrors.masked("  - s3cr3t")).isEqualTo("  - ****");
        assertThat(YamlErrors.masked("    config:")).isEqualTo("    config:");
        assertThat(YamlErrors.masked("    url: https://u:pw@host")).isEqualTo("    url: ****");
        assertThat(YamlErrors.masked("password:hunter2")).isEqualTo("****");
        assertThat(YamlErrors.masked("  # token abc")).isEqualTo("  ****");
        assertThat(YamlErrors.masked("  \"quoted key\": v")).isEqualTo("  \"quoted key\": ****");
    }

    @Test
    void brokenLockFileIsNamedWithLineAndColumnButNotQuoted() throws IOException {
        Files.writeString(dir.resolve("meltano.yml"), "plugins:\n  extractors:\n  - name: tap-x\n    variant: v\n");
        Path lock = Files.createDirectories(dir.resolve("plugins/extractors")).resolve("tap-x--v.lock");
        Files.writeString(lock, "{\"settings\": [{\"name\": \"token\", \"value\": \"" + PASSWORD + "\"}\n");
        ConfigException e = loadFailure(lock);
        assertThat(e.getMessage()).contains(lock + ":2:").contains("not valid JSON").doesNotContain(PASSWORD);
    }
}
