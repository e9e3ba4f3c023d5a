package io.tapline.it.suite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.TestEnv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A clone with nothing beside it runs the whole suite: no test, script or build file names a path outside the
 * checkout, and the test data the suite reads is in {@code testdata/}, each file accounted for.
 */
class SelfContainedSuiteTest {
    private static final Path ROOT = TestEnv.repoRoot();

    /** Ways a file has reached outside the checkout; each pattern says which. */
    private static final List<Pattern> OUTSIDE = List.of(
            Pattern.compile("\\.\\./shared\\b"),                        // the old sibling folder
            Pattern.compile("\\bshared/(fixtures|meltano)\\b"),         // ... however it was reached
            Pattern.compile("TAPLINE_" + "SHARED"),                     // its override variable
            Pattern.compile("tapline\\." + "fixtures"),                 // its override property
            Pattern.compile("[\"'=\\s(]/(work|home|root|Users|mnt)/"),  // an absolute path on someone's machine
            Pattern.compile("(\\.\\./){3}"));                          // three levels up leaves a module of the checkout

    @Test
    void noTestScriptOrBuildFileReferencesAPathOutsideTheCheckout() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path file : scannedFiles()) {
            // Latin-1 decodes any byte: binary test resources are scanned without failing on malformed UTF-8.
            List<String> lines = List.of(Files.readString(file, StandardCharsets.ISO_8859_1).split("\n", -1));
            for (int i = 0; i < lines.size(); i++) {
                for (Pattern p : OUTSIDE) {
                    if (p.matcher(lines.get(i)).find()) {
                        offences.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(scannedFiles()).as("files scanned").hasSizeGreaterThan(100);
        assertThat(offences).as("references to paths outside the checkout").isEmpty();
    }

    @Test
    void everyFixtureFileIsTheUpstreamCopyItsProvenanceEntryNames() throws IOException {
        Path fixtures = ROOT.resolve("testdata/fixtures");
        JsonNode index = new ObjectMapper().readTree(fixtures.resolve("provenance.json").toFile());
        Set<String> listed = new TreeSet<>();
        for (JsonNode entry : index) {
            String file = entry.path("file").asText();
            listed.add(file);
            assertThat(sha256(fixtures.resolve(file))).as("sha256 of %s", file).isEqualTo(entry.path("sha256").asText());
            String owner = file.substring(0, file.indexOf('/'));
            assertThat(fixtures.resolve("LICENSES").resolve(owner + ".LICENSE")).as("licence of %s", file).isRegularFile();
        }
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.walk(fixtures)) {
            files.filter(Files::isRegularFile)
                    .map(f -> fixtures.relativize(f).toString())
                    .filter(f -> !f.startsWith("LICENSES/") && !f.equals("provenance.json"))
                    .forEach(present::add);
        }
        assertThat(present).as("fixture files vs provenance.json").isEqualTo(listed);
        assertThat(ROOT.resolve("testdata/meltano/LICENSE")).isRegularFile();
        assertThat(ROOT.resolve("testdata/PROVENANCE.md")).isRegularFile();
    }

    /** Test sources and resources of every module, build files, scripts, CI and the example projects. */
    private static List<Path> scannedFiles() throws IOException {
        Path self = ROOT.resolve("tests/src/test/java/io/tapline/it/suite/SelfContainedSuiteTest.java");
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.equals(self))
                    .filter(f -> {
                        String rel = ROOT.relativize(f).toString().replace('\\', '/');
                        if (rel.startsWith(".git/") || rel.startsWith("testdata/") || rel.contains("/target/")
                                || rel.startsWith("target/") || rel.contains(".cifuzz-corpus") || rel.startsWith("bench/out/")) {
                            return false;
                        }
                        String name = f.getFileName().toString();
                        return rel.contains("/src/test/") || name.equals("pom.xml") || rel.startsWith("bin/")
                                || rel.startsWith(".ci/") || rel.startsWith("examples/") || rel.startsWith("bench/")
                                || name.endsWith(".sh");
                    })
                    .filter(SelfContainedSuiteTest::isText)
                    .sorted()
                    .toList();
        }
    }

    private static boolean isText(Path f) {
        String name = f.getFileName().toString();
        return !(name.endsWith(".jar") || name.endsWith(".duckdb") || name.endsWith(".parquet") || name.endsWith(".class")
                || name.endsWith(".png") || name.endsWith(".gz"));
    }

    private static String sha256(Path f) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
