package io.tapline.internal.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the fixture files in the checkout's {@code testdata/} folder (public Singer and Airbyte streams from
 * other projects' test suites, and Meltano's own test data; see {@code testdata/PROVENANCE.md}). The folder is
 * found by walking up from the working directory to the repository root; nothing outside the checkout is read.
 */
public final class Fixtures {
    private static final Path TESTDATA = findTestdata();
    private static final Path ROOT = TESTDATA.resolve("fixtures");

    private Fixtures() {}

    /** The fixtures folder itself ({@code testdata/fixtures}). */
    public static Path root() { return ROOT; }

    /** {@code testdata/meltano/<relative>}: Meltano's example projects and test data; fails if it does not exist. */
    public static Path meltano(String relative) {
        Path file = TESTDATA.resolve("meltano").resolve(relative);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no Meltano test data " + relative + " under " + TESTDATA);
        }
        return file;
    }

    /** A fixture by its path under {@code testdata/fixtures}; fails if the file does not exist. */
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

    /** {@code testdata/} of the checkout: the first ancestor of the working directory that holds the parent pom. */
    private static Path findTestdata() {
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("protocol"))) {
                Path testdata = dir.resolve("testdata");
                if (!Files.isRegularFile(testdata.resolve("PROVENANCE.md"))) {
                    throw new IllegalStateException("the checkout at " + dir + " has no testdata/PROVENANCE.md");
                }
                return testdata;
            }
        }
        throw new IllegalStateException("no tapline checkout (pom.xml beside protocol/) above " + start);
    }
}
