package io.tapline.it.support;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * fake-gcs-server (BSD-2-Clause; {@code go install github.com/fsouza/fake-gcs-server@v1.56.1} into
 * {@code ~/.cache/tapline/go/bin} when missing), in memory, on 127.0.0.1 at a free port. The test waits for the
 * line the server logs once it listens. {@link #close()} is idempotent.
 */
public final class FakeGcsServer implements AutoCloseable {
    public static final String MODULE = "github.com/fsouza/fake-gcs-server@v1.56.1";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

    private final Process process;
    private final int port;
    private boolean closed;

    private FakeGcsServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static FakeGcsServer start() throws IOException, InterruptedException {
        Path binary = install();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(binary.toString(), "-scheme", "http", "-host", "127.0.0.1", "-port",
                Integer.toString(port), "-backend", "memory", "-public-host", "127.0.0.1:" + port, "-log-level", "info")
                .redirectErrorStream(true).start();
        ChildLines lines = new ChildLines();
        lines.follow("fake-gcs", p.getInputStream(), l -> true);
        ChildLines.Line started = lines.await(l -> l.ended() || l.line().contains("server started"), Duration.ofSeconds(60));
        if (started.ended()) {
            p.destroyForcibly();
            throw new IllegalStateException("fake-gcs-server did not start on port " + port);
        }
        return new FakeGcsServer(p, port);
    }

    private static Path install() throws IOException, InterruptedException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "tapline", "go");
        Path binary = cache.resolve("bin").resolve("fake-gcs-server");
        if (Files.isExecutable(binary)) {
            return binary;
        }
        ProcessBuilder pb = new ProcessBuilder(List.of("go", "install", MODULE)).inheritIO();
        pb.environment().putAll(Map.of("GOBIN", cache.resolve("bin").toString(), "GOMODCACHE", cache.resolve("mod").toString(),
                "GOCACHE", cache.resolve("build").toString(), "GOFLAGS", "-modcacherw"));
        Process go = pb.start();
        if (!go.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES) || go.exitValue() != 0) {
            go.destroyForcibly();
            throw new IllegalStateException("go install " + MODULE + " failed");
        }
        return binary;
    }

    /** For {@code STORAGE_EMULATOR_HOST}. */
    public String host() { return "http://127.0.0.1:" + port; }

    public Storage client() {
        return StorageOptions.http().setHost(host()).setProjectId("tapline-test").setCredentials(NoCredentials.getInstance())
                .build().getService();
    }

    public void createBucket(Storage client, String bucket) {
        client.create(BucketInfo.of(bucket));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
