package io.tapline.internal.runner.process;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Python virtualenv per plugin, like {@code meltano install}. A venv's folder is named by the
 * plugin and a hash of its pip_url and interpreter, so changing either installs afresh and equal
 * plugins share one venv (the folder can be a cache shared between projects). A marker file is
 * written only after pip succeeded; a half-made venv is rebuilt. Installs are serialised by a file lock.
 */
public final class VirtualEnvs {
    private static final Logger log = LoggerFactory.getLogger(VirtualEnvs.class);
    private static final String MARKER = ".tapline-installed";

    private final Path root;

    public VirtualEnvs(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() { return root; }

    /** The venv folder for this plugin (installed or not). */
    public Path venvFor(String plugin, String pipUrl, String python) {
        return root.resolve(plugin + "-" + hash(pipUrl + "\n" + python));
    }

    public boolean isInstalled(String plugin, String pipUrl, String python) {
        return Files.isRegularFile(venvFor(plugin, pipUrl, python).resolve(MARKER));
    }

    /** Installs unless already installed (or {@code force}); returns the venv folder. */
    public Path install(String plugin, String pipUrl, String python, boolean force) {
        Path venv = venvFor(plugin, pipUrl, python);
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(venv.getFileName() + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (!force && Files.isRegularFile(venv.resolve(MARKER))) {
                    return venv;
                }
                deleteRecursively(venv);
                Secrets secrets = urlCredentials(pipUrl);
                log.info("Installing {} into {} ({})", plugin, venv, secrets.mask(pipUrl));
                long start = System.nanoTime();
                run(plugin, List.of(python, "-m", "venv", venv.toString()), secrets);
                run(plugin, List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "--upgrade", "pip", "setuptools", "wheel"), secrets);
                List<String> pip = new java.util.ArrayList<>(List.of(venv.resolve("bin/python").toString(), "-m", "pip",
                        "install", "--quiet", "--disable-pip-version-check"));
                pip.addAll(List.of(pipUrl.trim().split("\\s+")));
                run(plugin, pip, secrets);
                Files.writeString(venv.resolve(MARKER), pipUrl + "\n", StandardCharsets.UTF_8);
                log.info("Installed {} in {} s", plugin, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
                return venv;
            }
        } catch (IOException e) {
            throw new ConfigException(ErrorCode.PLUGIN_INSTALL_FAILED,
                    "could not install plugin '" + plugin + "' into " + venv + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs one install step. Its output goes to {@code tapline.install.<plugin>} at the levels pip gives it;
     * a failure is the user's to fix (a wrong pip_url or python), so it is a {@link ConfigException} (exit 2)
     * carrying pip's last lines, with credentials in the pip_url masked.
     */
    private static void run(String plugin, List<String> argv, Secrets secrets) {
        StderrTail output = new StderrTail(LoggerFactory.getLogger("tapline.install." + plugin), plugin, secrets,
                m -> { });
        try {
            // pip's own environment: installing is tapline's work, not the plugin's run
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Thread pump = PluginProcess.pump(p.getInputStream(), output, "tapline-install-" + plugin);
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                PluginProcess.stop(List.of(p));
                throw new ConfigException(ErrorCode.PLUGIN_INSTALL_FAILED, "installing plugin '" + plugin
                        + "' did not finish within 30 minutes");
            }
            pump.join(10_000);
            if (p.exitValue() != 0) {
                List<String> tail = output.lines();
                throw new ConfigException(ErrorCode.PLUGIN_INSTALL_FAILED, "installing plugin '" + plugin + "' failed: `"
                        + secrets.mask(String.join(" ", argv.subList(Math.min(1, argv.size()), Math.min(5, argv.size()))))
                        + " ...` exited with " + p.exitValue() + (tail.isEmpty() ? "" : "; its last lines:\n  "
                        + String.join("\n  ", tail.subList(Math.max(0, tail.size() - 10), tail.size())))
                        + "\nCheck the plugin's pip_url (and python) in the project file.");
            }
        } catch (IOException e) {
            throw new ConfigException(ErrorCode.PLUGIN_INSTALL_FAILED, "installing plugin '" + plugin + "' failed: "
                    + secrets.mask(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException(ErrorCode.INTERRUPTED, "interrupted while installing " + plugin);
        }
    }

    /** The credentials a pip_url may carry ({@code https://user:token@host/...}): masked in what is logged. */
    static Secrets urlCredentials(String pipUrl) {
        List<String> found = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("://([^/@\\s]+)@").matcher(pipUrl);
        while (m.find()) {
            found.add(m.group(1));
            found.addAll(List.of(m.group(1).split(":")));
        }
        return Secrets.ofValues(found);
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
