package io.tapline.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenSSH server (Debian's {@code openssh-server}) for end-to-end tests: {@code /usr/sbin/sshd -D}
 * with a generated config, a generated ed25519 host key and one generated user key, listening on 127.0.0.1 at
 * a free port, run as the current user; nothing under {@code /etc} is touched. The user key logs in as the
 * current user. When sshd is missing and the tests run as root, {@code apt-get install openssh-server} runs
 * once. Not thread-safe; {@link #close()} stops the server and is idempotent.
 */
public final class SshServer implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static boolean aptTried;

    private final Path folder;
    private final Process process;
    private final int port;
    private boolean closed;

    private SshServer(Path folder, Process process, int port) {
        this.folder = folder;
        this.process = process;
        this.port = port;
    }

    /** Generates keys and config in {@code folder} and starts sshd; blocks until it answers with its banner. */
    public static SshServer start(Path folder) {
        ensureInstalled();
        try {
            Files.createDirectories(folder);
            keygen(folder.resolve("host_key"));
            keygen(folder.resolve("user_key"));
            Files.copy(folder.resolve("user_key.pub"), folder.resolve("authorized_keys"));
            if (isRoot()) {
                // Debian's sshd refuses to start as root without its privilege separation folder
                Files.createDirectories(Path.of("/run/sshd"));
            }
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                Path config = folder.resolve("sshd_config");
                Files.writeString(config, String.join("\n",
                        "Port " + port,
                        "ListenAddress 127.0.0.1",
                        "HostKey " + folder.resolve("host_key"),
                        "PidFile " + folder.resolve("sshd.pid"),
                        "AuthorizedKeysFile " + folder.resolve("authorized_keys"),
                        "PubkeyAuthentication yes",
                        "PasswordAuthentication no",
                        "KbdInteractiveAuthentication no",
                        "PermitRootLogin prohibit-password",
                        "StrictModes no", // the key lives in a test temp folder
                        "UsePAM no",
                        "AllowTcpForwarding yes",
                        "LogLevel DEBUG1", // names each forwarded connection
                        ""));
                Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                        .redirectErrorStream(true).start();
                OutputLines log = OutputLines.of(p, folder.resolve("sshd.log"));
                try {
                    // sshd says so once it listens (or exits, e.g. when the port was taken meanwhile)
                    log.await("Server listening on 127.0.0.1 port " + port, START_TIMEOUT);
                    return new SshServer(folder, p, port);
                } catch (AssertionError e) {
                    p.destroyForcibly();
                    last = new IOException(e.getMessage(), e);
                }
            }
            throw new IllegalStateException("sshd did not start: " + last.getMessage() + "\n" + log(folder), last);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String host() { return "127.0.0.1"; }

    public int port() { return port; }

    public String user() { return System.getProperty("user.name"); }

    /** The private key that logs in. */
    public Path userKey() { return folder.resolve("user_key"); }

    /** A known_hosts file holding this server's real host key. */
    public Path knownHosts() {
        return writeKnownHosts(folder.resolve("known_hosts"), folder.resolve("host_key.pub"));
    }

    /** A known_hosts file that names this server with a different (freshly generated) key. */
    public Path wrongKnownHosts() {
        Path other = folder.resolve("other_host_key");
        if (!Files.exists(other)) {
            keygen(other);
        }
        return writeKnownHosts(folder.resolve("wrong_known_hosts"), folder.resolve("other_host_key.pub"));
    }

    /** What sshd logged so far. */
    public String log() { return log(folder); }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private Path writeKnownHosts(Path file, Path pub) {
        try {
            String[] key = Files.readString(pub).strip().split("\\s+");
            Files.writeString(file, "[" + host() + "]:" + port + " " + key[0] + " " + key[1] + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keygen(Path key) {
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tapline-test", "-f", key.toString()));
        try {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void ensureInstalled() {
        if (Files.isExecutable(SSHD) || aptTried || !isRoot()) {
            if (!Files.isExecutable(SSHD)) {
                throw new IllegalStateException("no " + SSHD + "; install Debian's openssh-server (bin/test does)");
            }
            return;
        }
        aptTried = true;
        if (run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "openssh-server")) != 0) {
            run(List.of("apt-get", "update", "-q"));
            run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "openssh-server"));
        }
        if (!Files.isExecutable(SSHD)) {
            throw new IllegalStateException("apt-get install openssh-server did not provide " + SSHD);
        }
    }

    private static int run(List<String> argv) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", argv) + "` timed out");
            }
            if (p.exitValue() != 0 && argv.get(0).equals("ssh-keygen")) {
                throw new IllegalStateException("`" + String.join(" ", argv) + "` failed: exit " + p.exitValue());
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv, e);
        }
    }

    private static String log(Path folder) {
        try {
            Path f = folder.resolve("sshd.log");
            return Files.exists(f) ? Files.readString(f) : "(no sshd log)";
        } catch (IOException e) {
            return "(could not read the sshd log: " + e.getMessage() + ")";
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
