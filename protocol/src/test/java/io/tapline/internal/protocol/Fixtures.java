package io.tapline.internal.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the shared fixture files (public Singer streams from other projects' test suites, see
 * {@code shared/fixtures/PROVENANCE.md}). The checkout is a sibling of {@code shared/}, so the folder
 * is found by walking up from the working directory; {@code -Dtapline.fixtures=DIR} overrides it.
 */
public final class Fixtures {
    private static final Path ROOT = findRoot();

    private Fixtures() {}

    /** The fixtures folder itself. */
    public static Path root() { return ROOT; }

    /** A fixture by its path under {@code shared/fixtures}; fails if the file does not exist. */
    public static Path path(String relative) {
        Path file = ROOT.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no fixture " + relative + " under " + ROOT);
        }
        return file;
    }

    /**
     * Every Singer message stream among the fixtures: files ending in .singer, .json or .jsonl, minus
     * Airbyte material, expected outputs ({@code target.jsonl}) and the provenance index.
     */
    public static List<Path> singerStreams() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        String top = ROOT.relativize(p).getName(0).toString();
                        return (name.endsWith(".singer") || name.endsWith(".json") || name.endsWith(".jsonl"))
                                && !name.equals("target.jsonl") && !name.equals("provenance.json")
                                && !top.startsWith("airbytehq__") && !top.equals("LICENSES");
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's path relative to the fixtures folder, for test names and messages. */
    public static String name(Path fixture) {
        return ROOT.relativize(fixture).toString();
    }

    private static Path findRoot() {
        String override = System.getProperty("tapline.fixtures");
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("shared/fixtures"), dir.resolve("../shared/fixtures"))) {
                if (Files.isDirectory(candidate)) {
                    return candidate.normalize();
                }
            }
        }
        throw new IllegalStateException("no shared/fixtures folder above " + start
                + "; set -Dtapline.fixtures=/path/to/shared/fixtures");
    }
}
