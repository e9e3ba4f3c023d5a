package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.it.support.Duck;
import io.tapline.it.support.TestEnv;
import io.tapline.internal.runner.process.VirtualEnvs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/embedded-app}, a separate Maven project, built against tapline's published artifacts the
 * way a user builds it, and run on a real tap from PyPI.
 *
 * <p>{@code mvn verify} does not install, so the tests module's {@code pre-integration-test} step installs the
 * jars the reactor just built (and the parent pom) into the suite's local repository with
 * {@code maven-install-plugin:install-file}: what {@code mvn install} would put there, without rebuilding
 * anything. This test runs {@code mvn -o package} in a copy of the example against that repository and
 * starts the app twice.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ExampleAppIT {
    @TempDir Path dir;

    @Test
    void exampleAppBuiltFromThePublishedArtifactsLoadsARealTapAndResumes() throws Exception {
        Path repo = TestEnv.repoRoot();
        String m2 = System.getProperty("tapline.m2", Path.of(System.getProperty("user.home"), ".m2", "repository")
                .toString());
        String version = System.getProperty("tapline.version", "0.1.0-SNAPSHOT");
        assertThat(Path.of(m2, "io/tapline/tapline-runner", version, "tapline-runner-" + version + ".jar"))
                .as("installed by the tests module's pre-integration-test step").exists();

        Path app = dir.resolve("embedded-app");
        copyTree(repo.resolve("examples/embedded-app"), app);
        run(app, List.of("mvn", "-B", "-o", "-q", "-Dmaven.repo.local=" + m2, "package"));

        Path tap = new VirtualEnvs(TestEnv.venvCache()).install("tap-jsonfile", "tap-jsonfile==0.1.2", "python3", false)
                .resolve("bin/tap-jsonfile");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.write(data.resolve("events.jsonl"), List.of("{\"id\": 1, \"kind\": \"click\"}",
                "{\"id\": 2, \"kind\": \"view\"}", "{\"id\": 3, \"kind\": \"click\"}"));
        Path warehouse = dir.resolve("app.duckdb");
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", "target/classes:target/lib/*",
                "com.example.tapline.SyncApp", tap.toString(), data.toString(), warehouse.toString());

        assertThat(run(app, java)).contains("rows 3", "stream events 3", "committed 3");
        assertThat(Duck.count(warehouse, "raw.events")).isEqualTo(3);
        assertThat(run(app, java)).contains("rows 0"); // resumed: tap-jsonfile skips the file it has read
        assertThat(Duck.count(warehouse, "raw.events")).isEqualTo(3);
    }

    /** Runs {@code argv} in {@code cwd}; returns its stdout, failing with its output when it exits non-zero. */
    private String run(Path cwd, List<String> argv) throws Exception {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        Process p = new ProcessBuilder(new ArrayList<>(argv)).directory(cwd.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + argv);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", argv) + " exited with " + p.exitValue() + ":\n" + stdout + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return stdout;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.filter(p -> !from.relativize(p).startsWith("target")).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
