package io.tapline.internal.runner.process;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.TaplineException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writing a user's config file so that a crash leaves either the old or the new content, never half. */
public final class ConfigFiles {
    private ConfigFiles() {}

    /**
     * Writes {@code content} to a 0600 temporary file beside {@code file}, syncs it, and renames it over
     * {@code file}. Creates missing parent folders. The message of a failure names the file, not the content.
     */
    public static void writeAtomically(Path file, byte[] content) {
        Path abs = file.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.write(java.nio.ByteBuffer.wrap(content));
                    ch.force(true);
                }
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new TaplineException(ErrorCode.INTERNAL, "could not write config file " + abs + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }
}
