package io.tapline.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real container runtime for the docker-path tests: Debian's podman with the settings of
 * a rootless container host (runc, cgroupfs, vfs storage, no default ulimits), and images built locally
 * with {@code podman import} since no registry is reachable. An image is a busybox rootfs whose
 * entrypoint is a connector of a tapline-managed virtualenv; the host's interpreter and the venv are
 * bind-mounted read-only by {@link #mounts(Path)}.
 */
public final class PodmanImages {
    private final Path confFile;

    private PodmanImages(Path confFile) {
        this.confFile = confFile;
    }

    /**
     * Checks podman, runc and busybox are installed (bin/test installs them) and writes the
     * containers.conf the runtime is pointed at with {@code CONTAINERS_CONF}.
     */
    public static PodmanImages setUp(Path dir) throws IOException, InterruptedException {
        for (String tool : List.of("podman", "runc", "busybox")) {
            if (run(List.of("sh", "-c", "command -v " + tool), null) != 0) {
                throw new IllegalStateException(tool + " is not installed; bin/test installs podman, runc and "
                        + "busybox-static");
            }
        }
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, "[containers]\ndefault_ulimits = []\n");
        return new PodmanImages(conf);
    }

    /** The runtime command for tapline's DockerLauncher: env CONTAINERS_CONF=... podman --flags. */
    public List<String> runtime() {
        return List.of("env", "CONTAINERS_CONF=" + confFile, "podman", "--storage-driver", "vfs", "--runtime", "runc",
                "--cgroup-manager", "cgroupfs");
    }

    /** Imports {@code name} (e.g. localhost/tapline-source-faker:abc) with {@code entrypoint} as its ENTRYPOINT. */
    public void importImage(String name, String entrypoint, Path workDir) throws IOException, InterruptedException {
        Path rootfs = workDir.resolve("rootfs");
        for (String d : List.of("bin", "tmp", "config", "usr", "lib", "lib64", "proc", "sys", "dev", "etc", "root")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Path busybox = Path.of(new String(new ProcessBuilder("sh", "-c", "command -v busybox").start()
                .getInputStream().readAllBytes()).trim());
        Files.copy(busybox, rootfs.resolve("bin/busybox"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Path tar = workDir.resolve("rootfs.tar");
        check(run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."), null), "tar");
        List<String> cmd = new ArrayList<>(runtime());
        cmd.addAll(List.of("import", "--change", "ENTRYPOINT [\"" + entrypoint + "\"]",
                "--change", "ENV AIRBYTE_ENTRYPOINT=" + entrypoint, tar.toString(), name));
        check(run(cmd, workDir.resolve("import.log")), "podman import (see " + workDir.resolve("import.log") + ")");
    }

    /**
     * Read-only bind mounts for a venv's connector: the system libraries, the interpreter's home (from
     * pyvenv.cfg) and the venv itself, as {@code -v} arguments.
     */
    public static List<String> mounts(Path venv) throws IOException {
        Set<String> dirs = new LinkedHashSet<>(List.of("/usr", "/lib", "/lib64"));
        for (String line : Files.readAllLines(venv.resolve("pyvenv.cfg"))) {
            if (line.startsWith("home")) {
                Path home = Path.of(line.substring(line.indexOf('=') + 1).trim()).getParent(); // .../bin -> prefix
                if (dirs.stream().noneMatch(d -> home.startsWith(d))) {
                    dirs.add(home.toString());
                }
            }
        }
        dirs.add(venv.toAbsolutePath().toString());
        List<String> out = new ArrayList<>();
        for (String d : dirs) {
            if (Files.exists(Path.of(d))) {
                out.addAll(List.of("-v", d + ":" + d + ":ro"));
            }
        }
        return out;
    }

    private static void check(int rc, String what) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed with exit code " + rc);
        }
    }

    private static int run(List<String> cmd, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " timed out");
        }
        return p.exitValue();
    }
}
