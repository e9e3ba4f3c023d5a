package io.tapline.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Real tap executables for tests: scripts run as processes, like any Singer tap. */
public final class TestTaps {
    private TestTaps() {}

    /** Copies the bundled script {@code taps/<name>} into {@code dir} as an executable. */
    public static Path script(Path dir, String name) {
        Path out = dir.resolve(name);
        try (InputStream in = TestTaps.class.getResourceAsStream("/taps/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test tap " + name);
            }
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A shell tap that prints {@code file} (ignoring tapline's arguments) and exits with {@code exitCode}. */
    public static Path cat(Path dir, Path file, int exitCode) {
        Path out = dir.resolve("cat-tap-" + file.getFileName() + ".sh");
        try {
            Files.writeString(out, "#!/usr/bin/env bash\ncat '" + file.toAbsolutePath() + "'\nexit " + exitCode + "\n");
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
