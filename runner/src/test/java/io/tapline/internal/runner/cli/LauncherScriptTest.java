package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/tapline}, the launcher, run for real by bash in a copy of the checkout's layout, with
 * stand-ins for {@code mvn} (which writes Maven-like output with escape codes) and {@code java}, so
 * its build-on-first-use logic is tested without a minute-long Maven build.
 */
class LauncherScriptTest {
    private static final Path LAUNCHER = Path.of("..", "bin", "tapline").toAbsolutePath().normalize();
    private static final String BUILD_LINE = "tapline: building (first run or sources changed), about a minute...";
    private static final String ESC = "\u001b";

    @TempDir Path dir;
    private Path home;
    private Path fakes;

    private record Result(int exit, String out, String err) {}

    @BeforeEach
    void layout() throws IOException {
        home = dir.resolve("checkout");
        Files.createDirectories(home.resolve("bin"));
        Files.copy(LAUNCHER, home.resolve("bin/tapline"));
        Files.writeString(home.resolve("pom.xml"), "<project/>");
        for (String module : List.of("protocol", "state", "targets", "taps-catalog", "runner")) {
            Files.createDirectories(home.resolve(module).resolve("src"));
            Files.writeString(home.resolve(module).resolve("src/A.java"), "class A {}");
        }
        fakes = Files.createDirectories(dir.resolve("fakes"));
        script("java", "echo \"java $*\"\n");
        mvnExits(0);
    }

    private void script(String name, String body) throws IOException {
        Path file = fakes.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A stand-in for Maven: logs its call, prints coloured output, creates the lib folder, exits with {@code code}. */
    private void mvnExits(int code) throws IOException {
        script("mvn", """
                echo called >> '%s'
                printf '\\033[0m\\033[0m[\\033[1;34mINFO\\033[m] Scanning for projects...\\n'
                for i in $(seq 1 60); do echo "[INFO] line $i"; done
                echo '[ERROR] COMPILATION ERROR: A.java:[1,1] broken' >&2
                mkdir -p runner/target/lib
                exit %d
                """.formatted(dir.resolve("mvn-calls"), code));
    }

    private long mvnCalls() throws IOException {
        Path calls = dir.resolve("mvn-calls");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private Result launch(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", home.resolve("bin/tapline").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().put("PATH", fakes + ":" + System.getenv("PATH"));
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void firstRunPrintsOneBuildLineAndNothingFromMaven() throws Exception {
        Result r = launch("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEqualTo(BUILD_LINE + "\n");
        assertThat(r.out()).startsWith("java ").endsWith("io.tapline.internal.runner.cli.Main --version\n")
                .doesNotContain("INFO");
        assertThat(mvnCalls()).isEqualTo(1);
        assertThat(home.resolve("runner/target/tapline-build.log")).content().contains("Scanning for projects");
    }

    @Test
    void unchangedSourcesAreNotRebuiltAndAChangedSourceIs() throws Exception {
        launch("--version");
        Result again = launch("--version");
        assertThat(again.err()).isEmpty();
        assertThat(mvnCalls()).isEqualTo(1);

        Path stamp = home.resolve("runner/target/lib/.built");
        Path source = home.resolve("state/src/A.java");
        Files.setLastModifiedTime(source, FileTime.fromMillis(Files.getLastModifiedTime(stamp).toMillis() + 10_000));
        Result changed = launch("--version");
        assertThat(changed.err()).isEqualTo(BUILD_LINE + "\n");
        assertThat(mvnCalls()).isEqualTo(2);
    }

    @Test
    void aFailedBuildShowsTheLastLinesOfItsLogWithoutEscapeCodes() throws Exception {
        mvnExits(1);
        Result r = launch("--version");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).doesNotContain("java ");
        List<String> lines = r.err().lines().toList();
        assertThat(lines.get(0)).isEqualTo(BUILD_LINE);
        assertThat(lines.get(1)).startsWith("tapline: the build failed").contains("tapline-build.log");
        assertThat(lines).contains("[ERROR] COMPILATION ERROR: A.java:[1,1] broken", "[INFO] line 60")
                .doesNotContain("[INFO] line 1").hasSizeLessThanOrEqualTo(42);
        assertThat(r.err()).doesNotContain(ESC);
        assertThat(home.resolve("runner/target/lib/.built")).doesNotExist();
    }

    @Test
    void escapeCodesInTheTailAreStripped() throws Exception {
        script("mvn", """
                mkdir -p runner/target/lib
                printf '\\033[0m\\033[0m[\\033[1;31mERROR\\033[m] boom\\n'
                exit 1
                """);
        Result r = launch();
        assertThat(r.err()).contains("[ERROR] boom").doesNotContain(ESC);
    }
}
