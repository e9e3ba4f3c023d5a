package io.tapline.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from Debian's packages ({@code /usr/lib/postgresql/<version>/bin}, the
 * highest version), listening only on 127.0.0.1 at a free port, its data and unix socket in a private
 * temporary folder that {@link #close()} deletes.
 *
 * <p>Local (unix socket) connections are trusted, which is how {@link #psql} talks to it; TCP connections
 * need the password of the {@code postgres} role, so a Singer tap pointed at {@link #host()}:{@link #port()}
 * with a wrong password is refused as it would be by a real server. PostgreSQL refuses to run as root: when
 * the tests run as root, the folder is handed to the {@code postgres} user and {@code initdb}/{@code pg_ctl}
 * run through {@code runuser -u postgres --}. When no server binaries are installed and the tests run as
 * root, {@code apt-get install postgresql} runs once.
 *
 * <p>Not thread-safe; every external command has a timeout. {@link #close()} is idempotent.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final String SUPERUSER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(15);
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)?");
    private static final int START_ATTEMPTS = 3;

    private static boolean aptTried;

    private final Path bin;
    private final Path folder;
    private final Path dataDir;
    private final Path socketDir;
    private final Path logFile;
    private final String password;
    private final boolean asPostgresUser;
    private int port;
    private boolean closed;

    private PostgresServer(Path bin, Path folder, String password, boolean asPostgresUser) {
        this.bin = bin;
        this.folder = folder;
        this.dataDir = folder.resolve("data");
        this.socketDir = folder.resolve("sock");
        this.logFile = folder.resolve("server.log");
        this.password = password;
        this.asPostgresUser = asPostgresUser;
    }

    /** Initialises a fresh cluster and starts it; blocks until it accepts connections (or fails). */
    public static PostgresServer start() {
        Path bin = binaries();
        boolean root = isRoot();
        Path folder;
        try {
            // short path under /tmp: a unix socket path must stay under 107 bytes
            folder = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "tapline-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PostgresServer server = new PostgresServer(bin, folder, "pw-" + Long.toHexString(System.nanoTime()), root);
        try {
            server.init();
            server.startOnFreePort();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public String host() { return "127.0.0.1"; }

    public int port() { return port; }

    /** The superuser, which the tap logs in as over TCP with {@link #password()}. */
    public String user() { return SUPERUSER; }

    public String password() { return password; }

    /** The server's log file (useful in assertion messages). */
    public Path logFile() { return logFile; }

    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be a plain lower-case identifier: " + name);
        }
        psql("postgres", "CREATE DATABASE " + name);
    }

    /** Runs {@code sql} in the {@code postgres} database; see {@link #psql(String, String)}. */
    public String psql(String sql) {
        return psql("postgres", sql);
    }

    /**
     * Runs {@code sql} (one or more statements) with the {@code psql} binary over the unix socket, stopping
     * at the first error, and returns what it printed: unaligned, tuples only, {@code |} between columns.
     *
     * @throws IllegalStateException with psql's output when it fails or times out
     */
    public String psql(String database, String sql) {
        List<String> argv = List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", socketDir.toString(), "-p", Integer.toString(port), "-U", SUPERUSER, "-d", database, "-f", "-");
        Result r = exec(argv, Optional.of(sql), COMMAND_TIMEOUT, Map.of("PGCONNECT_TIMEOUT", "10"));
        if (r.exitCode != 0) {
            throw new IllegalStateException("psql failed (exit " + r.exitCode + ") running:\n" + sql + "\n" + r.output);
        }
        return r.output;
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast}: open connections are cut) and keeps its data, for fault tests;
     * {@link #restart()} brings it back on the same port. Blocks until it is down.
     */
    public void stop() {
        Result r = exec(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-m", "fast", "-w", "-t", "60", "stop")), Optional.empty(), COMMAND_TIMEOUT, Map.of());
        if (r.exitCode != 0) {
            throw new IllegalStateException("pg_ctl stop failed (exit " + r.exitCode + "): " + r.output);
        }
    }

    /** Starts a server {@link #stop()}ped before, on the same port; blocks until it accepts connections. */
    public void restart() {
        Result r = startOn(port);
        if (r.exitCode != 0) {
            throw new IllegalStateException("pg_ctl start failed (exit " + r.exitCode + "):\n" + r.output
                    + "\nserver log:\n" + serverLog());
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and deletes its folder. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (Files.isRegularFile(dataDir.resolve("postmaster.pid"))) {
                Result r = exec(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                        "-m", "fast", "-w", "-t", "60", "stop")), Optional.empty(), COMMAND_TIMEOUT, Map.of());
                if (r.exitCode != 0) {
                    throw new IllegalStateException("pg_ctl stop failed (exit " + r.exitCode + "): " + r.output);
                }
            }
        } finally {
            deleteRecursively(folder);
        }
    }

    private void init() {
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(socketDir);
            Path pwfile = folder.resolve("pwfile");
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            if (asPostgresUser) {
                chownToPostgres(folder);
            }
            Result r = exec(asServerUser(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(),
                    "-U", SUPERUSER, "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile,
                    "-E", "UTF8", "--locale=C", "--no-sync")), Optional.empty(), COMMAND_TIMEOUT, Map.of());
            Files.delete(pwfile);
            if (r.exitCode != 0) {
                throw new IllegalStateException("initdb failed (exit " + r.exitCode + "):\n" + r.output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Picks a free port and starts; retries when another process took the port in between. */
    private void startOnFreePort() {
        String lastFailure = "";
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            port = freePort();
            Result r = startOn(port);
            if (r.exitCode == 0) {
                return;
            }
            lastFailure = "pg_ctl start failed (exit " + r.exitCode + "):\n" + r.output + "\nserver log:\n" + serverLog();
        }
        throw new IllegalStateException(lastFailure);
    }

    private Result startOn(int onPort) {
        String options = "-p " + onPort + " -k " + socketDir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off";
        return exec(asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-l", logFile.toString(), "-o", options, "-w", "-t", "60", "start")), Optional.empty(),
                COMMAND_TIMEOUT, Map.of());
    }

    private String serverLog() {
        try {
            return Files.isRegularFile(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    private List<String> asServerUser(List<String> argv) {
        if (!asPostgresUser) {
            return argv;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SUPERUSER, "--"));
        wrapped.addAll(argv);
        return wrapped;
    }

    /** The newest {@code /usr/lib/postgresql/<version>/bin}, installing the Debian package once if allowed. */
    private static synchronized Path binaries() {
        Optional<Path> found = newestBinaries();
        if (found.isEmpty() && isRoot() && !aptTried) {
            aptTried = true;
            Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
            Result r = exec(List.of("apt-get", "install", "-y", "-q", "postgresql"), Optional.empty(), APT_TIMEOUT, env);
            if (r.exitCode != 0) {
                // the package lists may be missing in a fresh container
                exec(List.of("apt-get", "update", "-q"), Optional.empty(), APT_TIMEOUT, env);
                exec(List.of("apt-get", "install", "-y", "-q", "postgresql"), Optional.empty(), APT_TIMEOUT, env);
            }
            found = newestBinaries();
        }
        return found.orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under " + DEBIAN_ROOT
                + "/<version>/bin (initdb, pg_ctl, psql); install Debian's 'postgresql' package"
                + (isRoot() ? " (apt-get install -y postgresql failed)" : " or run the tests as root to install it")));
    }

    private static Optional<Path> newestBinaries() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions
                    .filter(p -> VERSION.matcher(p.getFileName().toString()).matches())
                    .map(p -> p.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"))
                            && Files.isExecutable(b.resolve("psql")))
                    .max(Comparator.comparingDouble(b -> Double.parseDouble(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    private static void chownToPostgres(Path dir) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(SUPERUSER);
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(SUPERUSER);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class);
                view.setOwner(user);
                view.setGroup(group);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    private record Result(int exitCode, String output) {}

    /** Runs a command with stdout and stderr merged into a file (no pipe to drain), killing it on timeout. */
    private static Result exec(List<String> argv, Optional<String> stdin, Duration timeout, Map<String, String> env) {
        Path out = null;
        Path in = null;
        try {
            out = Files.createTempFile("tapline-pg-cmd-", ".out");
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            if (stdin.isPresent()) {
                in = Files.createTempFile("tapline-pg-cmd-", ".sql");
                Files.writeString(in, stdin.get(), StandardCharsets.UTF_8);
                pb.redirectInput(in.toFile());
            } else {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("`" + String.join(" ", argv) + "` did not finish within " + timeout
                        + ":\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv, e);
        } finally {
            try {
                if (out != null) {
                    Files.deleteIfExists(out);
                }
                if (in != null) {
                    Files.deleteIfExists(in);
                }
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
