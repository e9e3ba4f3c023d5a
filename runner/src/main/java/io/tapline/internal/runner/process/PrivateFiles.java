package io.tapline.internal.runner.process;

import io.tapline.spi.TaplineException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A private temporary folder (0700) for the config, catalog and state files handed to a plugin;
 * files are 0600. Deleted on close, also when the run failed.
 */
public final class PrivateFiles implements AutoCloseable {
    private final Path dir;

    private PrivateFiles(Path dir) {
        this.dir = dir;
    }

    public static PrivateFiles create(String prefix) {
        try {
            return new PrivateFiles(Files.createTempDirectory(prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new TaplineException(ErrorCode.INTERNAL, "could not create a private temporary folder", e);
        }
    }

    public Path dir() { return dir; }

    /** Writes {@code content} to {@code name} with mode 0600 and returns its path. */
    public Path write(String name, byte[] content) {
        Path file = dir.resolve(name);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, content);
            return file;
        } catch (IOException e) {
            throw new TaplineException(ErrorCode.INTERNAL, "could not write " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort; the folder is private to us
        }
    }
}
