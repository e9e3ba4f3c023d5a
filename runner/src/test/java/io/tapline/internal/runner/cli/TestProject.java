package io.tapline.internal.runner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** A project folder with the real test tap {@code taps/two_stream_tap.py} as {@code tap-two}. */
final class TestProject {
    private TestProject() {}

    static Path tap(Path dir) {
        Path out = dir.resolve("two_stream_tap.py");
        try (InputStream in = TestProject.class.getResourceAsStream("/taps/two_stream_tap.py")) {
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** meltano.yml with tap-two ({@code tapExtras} indented under it) and tapline's target-jsonl into out/. */
    static void write(Path dir, String tapExtras, String topLevelExtras) {
        Path tap = tap(dir);
        String yml = """
                version: 1
                default_environment: dev
                environments:
                  - name: dev
                plugins:
                  extractors:
                    - name: tap-two
                      executable: %s
                      capabilities: [catalog, discover, state]
                      config:
                        discover_log: %s
                %s
                  loaders:
                    - name: target-jsonl
                      variant: tapline
                      config:
                        destination_path: out
                %s
                """.formatted(tap, dir.resolve("discover.log"), tapExtras.indent(6).stripTrailing(), topLevelExtras);
        try {
            Files.writeString(dir.resolve("meltano.yml"), yml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long discoveries(Path dir) throws IOException {
        Path log = dir.resolve("discover.log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }
}
