package io.tapline.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Where the end-to-end tests find shared things: the venv cache, the fixtures, the repo. */
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

    /**
     * {@code shared/fixtures/<relative>}: {@code $TAPLINE_SHARED/fixtures}, else the first {@code shared/}
     * folder beside the checkout or beside one of its ancestors.
     */
    public static Path fixture(String relative) {
        String override = System.getenv("TAPLINE_SHARED");
        if (override != null && !override.isBlank()) {
            return existing(Path.of(override).resolve("fixtures").resolve(relative));
        }
        for (Path p = repoRoot(); p != null; p = p.getParent()) {
            Path f = p.resolveSibling("shared").resolve("fixtures").resolve(relative);
            if (Files.exists(f)) {
                return f;
            }
        }
        return existing(repoRoot().resolveSibling("shared").resolve("fixtures").resolve(relative));
    }

    /** {@code shared/meltano/<relative>}: Meltano's own example projects and test fixtures. */
    public static Path meltano(String relative) {
        return fixturesRoot().resolveSibling("meltano").resolve(relative);
    }

    /** The {@code shared/fixtures} folder itself. */
    public static Path fixturesRoot() {
        return fixture("PROVENANCE.md").getParent();
    }

    private static Path existing(Path f) {
        if (!Files.exists(f)) {
            throw new IllegalStateException("fixture not found: " + f + " (set TAPLINE_SHARED to the shared/ folder)");
        }
        return f;
    }
}
