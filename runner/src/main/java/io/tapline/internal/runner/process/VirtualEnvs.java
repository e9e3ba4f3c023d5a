package io.tapline.internal.runner.process;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
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
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.stream.slf4j.Slf4jStream;

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
                log.info("Installing {} into {} ({})", plugin, venv, pipUrl);
                long start = System.nanoTime();
                run(plugin, List.of(python, "-m", "venv", venv.toString()));
                run(plugin, List.of(venv.resolve("bin/python").toString(), "-m", "pip", "install", "--quiet",
                        "--disable-pip-version-check", "--upgrade", "pip", "setuptools", "wheel"));
                List<String> pip = new java.util.ArrayList<>(List.of(venv.resolve("bin/python").toString(), "-m", "pip",
                        "install", "--quiet", "--disable-pip-version-check"));
                pip.addAll(List.of(pipUrl.trim().split("\\s+")));
                run(plugin, pip);
                Files.writeString(venv.resolve(MARKER), pipUrl + "\n", StandardCharsets.UTF_8);
                log.info("Installed {} in {} s", plugin, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
                return venv;
            }
        } catch (IOException e) {
            throw new PluginFailedException(ErrorCode.PLUGIN_INSTALL_FAILED, plugin,
                    "could not install plugin '" + plugin + "' into " + venv + ": " + e.getMessage(), e);
        }
    }

    private static void run(String plugin, List<String> argv) {
        try {
            ProcessResult r = Processes.executor().command(argv)
                    .redirectOutput(Slf4jStream.of(LoggerFactory.getLogger("tapline.install." + plugin)).asDebug())
                    .redirectError(Slf4jStream.of(LoggerFactory.getLogger("tapline.install." + plugin)).asInfo())
                    .readOutput(false)
                    .exitValueAny()
                    .timeout(30, TimeUnit.MINUTES)
                    .execute();
            if (r.getExitValue() != 0) {
                throw new PluginFailedException(ErrorCode.PLUGIN_INSTALL_FAILED, plugin,
                        "installing plugin '" + plugin + "' failed: `" + String.join(" ", argv.subList(0, Math.min(4,
                                argv.size()))) + " ...` exited with " + r.getExitValue() + " (see the log above)", null);
            }
        } catch (IOException | TimeoutException e) {
            throw new PluginFailedException(ErrorCode.PLUGIN_INSTALL_FAILED, plugin,
                    "installing plugin '" + plugin + "' failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while installing " + plugin);
        }
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
