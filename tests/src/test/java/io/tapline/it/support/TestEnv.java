package io.tapline.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Where the end-to-end tests find things: the venv cache, the fixtures in the checkout's testdata/, the repo. */
public final class TestEnv {
    private TestEnv() {}

    /** Virtualenvs are cached across runs (and test classes) here; tapline rebuilds any that are missing. */
    public static Path venvCache() {
        String override = System.getenv("TAPLINE_VENV_DIR");
        return override != null && !override.isBlank() ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".cache", "tapline", "venvs");
    }

    /** The process environment plus the shared venv cache, for {@code Project.open(path, env)}. */
    public static Map<String, String> projectEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("TAPLINE_VENV_DIR", venvCache().toString());
        return env;
    }

    /** The repository root (the folder holding the parent pom). */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("protocol")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** {@code testdata/fixtures/<relative>} of this checkout: Singer and Airbyte streams (see testdata/PROVENANCE.md). */
    public static Path fixture(String relative) {
        return existing(fixturesRoot().resolve(relative));
    }

    /** {@code testdata/meltano/<relative>} of this checkout: Meltano's own example projects and test data. */
    public static Path meltano(String relative) {
        return existing(repoRoot().resolve("testdata").resolve("meltano").resolve(relative));
    }

    /** The {@code testdata/fixtures} folder itself. */
    public static Path fixturesRoot() {
        return existing(repoRoot().resolve("testdata").resolve("fixtures"));
    }

    private static Path existing(Path f) {
        if (!Files.exists(f)) {
            throw new IllegalStateException("test data not found: " + f + " (it belongs in the checkout's testdata/)");
        }
        return f;
    }
}
