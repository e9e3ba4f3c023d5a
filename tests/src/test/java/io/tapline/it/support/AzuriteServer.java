package io.tapline.it.support;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Azurite's blob service (MIT, from npm; installed into {@code ~/.cache/tapline/npm} when missing), in memory, on
 * 127.0.0.1 at a free port; the test waits for the line it prints once it listens. {@link #close()} is idempotent.
 */
public final class AzuriteServer implements AutoCloseable {
    public static final String PACKAGE = "azurite@3.37.0";
    /** Azurite's well-known development account key (public, documented by Microsoft). */
    private static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    private final int port;
    private final Path dir;
    private boolean closed;

    private AzuriteServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static AzuriteServer start() throws IOException, InterruptedException {
        Path bin = install();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("tapline-azurite-");
        Process p = new ProcessBuilder(bin.toString(), "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port),
                "--inMemoryPersistence", "--skipApiVersionCheck").directory(dir.toFile()).redirectErrorStream(true).start();
        ChildLines lines = new ChildLines();
        lines.follow("azurite", p.getInputStream(), l -> true);
        ChildLines.Line up = lines.await(l -> l.ended() || l.line().contains("successfully listens"), Duration.ofSeconds(60));
        if (up.ended()) {
            p.destroyForcibly();
            throw new IllegalStateException("Azurite did not start on port " + port);
        }
        return new AzuriteServer(p, port, dir);
    }

    private static Path install() throws IOException, InterruptedException {
        Path prefix = Path.of(System.getProperty("user.home"), ".cache", "tapline", "npm");
        Path bin = prefix.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
        if (Files.isExecutable(bin)) {
            return bin;
        }
        Files.createDirectories(prefix);
        Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(),
                PACKAGE)).inheritIO().start();
        if (!npm.waitFor(15, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm install " + PACKAGE + " failed");
        }
        return bin;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=http://127.0.0.1:" + port + "/devstoreaccount1;";
    }

    public static String accountKey() { return ACCOUNT_KEY; }

    public BlobServiceClient client() {
        return new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
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
            try (var files = Files.walk(dir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            // a temp folder left behind
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
