package io.tapline.it.support;

import io.tapline.internal.runner.process.VirtualEnvs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * moto's S3 server (Apache-2.0, from PyPI, installed once into the shared venv cache), listening on 127.0.0.1 at a
 * port the OS picks, which the server prints and this class reads: no port race with other tests.
 *
 * <p>It serves one request at a time (werkzeug without threads): moto checks an S3 precondition and stores the
 * object in two steps, which concurrent handler threads could interleave, while AWS makes conditional writes
 * atomic; serialising the requests restores that. {@link #freeze()} / {@link #thaw()} stop and continue the server
 * process (SIGSTOP / SIGCONT), so a client's requests time out mid-run while the stored objects survive.
 * {@link #close()} is idempotent.
 */
public final class MotoServer implements AutoCloseable {
    public static final String MOTO = "moto[server]==5.2.6";
    public static final String ACCESS_KEY = "AKIAMOTOTESTKEY";
    public static final String SECRET_KEY = "moto-secret-Kx9vQ2pL";
    private static final String LAUNCHER = """
            import sys
            from werkzeug.serving import make_server
            from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
            app = DomainDispatcherApplication(create_backend_app)
            server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=MotoRequestHandler)
            print("listening", server.server_port, flush=True)
            server.serve_forever()
            """;

    private final Process process;
    private final int port;
    private final Path dir;
    private boolean closed;

    private MotoServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Installs moto into the venv cache if missing and starts a server; waits at most 60 s for it to listen. */
    public static MotoServer start() throws IOException, InterruptedException {
        Path venv = new VirtualEnvs(TestEnv.venvCache()).install("moto-server", MOTO, "python3", false);
        Path dir = Files.createTempDirectory("tapline-moto-");
        Path launcher = Files.writeString(dir.resolve("moto_single.py"), LAUNCHER);
        Process p = new ProcessBuilder(venv.resolve("bin/python").toString(), launcher.toString())
                .redirectError(dir.resolve("moto.log").toFile()).start();
        ChildLines lines = new ChildLines();
        lines.follow("moto", p.getInputStream(), l -> true);
        ChildLines.Line first = lines.next(Duration.ofSeconds(60));
        if (first.ended() || !first.line().startsWith("listening ")) {
            p.destroyForcibly();
            throw new IllegalStateException("moto did not start: " + Files.readString(dir.resolve("moto.log")));
        }
        return new MotoServer(p, Integer.parseInt(first.line().substring("listening ".length()).trim()), dir);
    }

    public URI endpoint() { return URI.create("http://127.0.0.1:" + port); }

    public long pid() { return process.pid(); }

    /** A plain S3 client on this server, for creating buckets and reading the store directly. */
    public S3Client client() {
        return S3Client.builder().endpointOverride(endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public void createBucket(String bucket) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(bucket));
        }
    }

    /** SIGSTOP: the port stays open but nothing answers. */
    public void freeze() throws IOException, InterruptedException { signal("STOP"); }

    /** SIGCONT: answers again, with every object it held. */
    public void thaw() throws IOException, InterruptedException { signal("CONT"); }

    private void signal(String sig) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(List.of("kill", "-" + sig, Long.toString(process.pid()))).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + sig + " failed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            signal("CONT");
        } catch (IOException | InterruptedException | RuntimeException e) {
            // it may be gone already
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
