package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.ChildLines;
import io.tapline.it.support.LeaseHolderMain;
import io.tapline.it.support.MotoServer;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStoreException;
import io.tapline.spi.StateWriteMode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The {@code s3://} state backend against a real S3 server (moto), found through the SPI as the CLI finds it:
 * Meltano's layout read back directly from the bucket, the run lease across JVMs (8 processes on one state id,
 * a SIGKILLed holder, a holder paused past its lease), Meltano's lock object, and a server that is down or stops
 * answering mid-run.
 */
class S3StateBackendIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StateBackendConfig.Lease FAST = new StateBackendConfig.Lease(Duration.ofSeconds(1), Duration.ofSeconds(4));
    private static MotoServer moto;
    private static S3Client direct;

    @TempDir Path dir;
    private String bucket;
    private final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        moto = MotoServer.start();
        direct = moto.client();
    }

    @AfterAll
    static void stopServer() {
        if (direct != null) {
            direct.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void newBucket() {
        bucket = "tapline-" + UUID.randomUUID().toString().substring(0, 8);
        moto.createBucket(bucket);
    }

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void stateVerbsKeepMeltanosLayoutInTheBucket() throws Exception {
        URI uri = URI.create("s3://" + MotoServer.ACCESS_KEY + ":" + MotoServer.SECRET_KEY + "@" + bucket + "/meltano/state");
        try (StateBackend backend = open(uri, Map.of("s3.endpoint_url", moto.endpoint().toString()), Map.of(), FAST)) {
            assertThat(backend.describe()).doesNotContain(MotoServer.SECRET_KEY).contains(bucket);
            assertThat(backend.read("dev:tap-a-to-target-b")).isEmpty();

            backend.save("dev:tap-a-to-target-b", new StateBlob("{\"bookmarks\":{\"users\":{\"id\":3}}}"), StateWriteMode.COMPLETE);
            backend.save("dev:tap-a-to-target-b", new StateBlob("{\"bookmarks\":{\"orders\":{\"id\":9}}}"), StateWriteMode.PARTIAL);
            backend.save("prod:tap-a-to-target-b", new StateBlob("{\"n\":1}"), StateWriteMode.COMPLETE);

            JsonNode stored = readDirect("meltano/state/dev:tap-a-to-target-b/state.json").orElseThrow();
            assertThat(stored.path("completed").path("singer_state"))
                    .isEqualTo(JSON.readTree("{\"bookmarks\":{\"users\":{\"id\":3}}}"));
            assertThat(stored.path("partial").path("singer_state"))
                    .isEqualTo(JSON.readTree("{\"bookmarks\":{\"orders\":{\"id\":9}}}"));
            assertThat(JSON.readTree(backend.read("dev:tap-a-to-target-b").orElseThrow().json()))
                    .isEqualTo(JSON.readTree("{\"bookmarks\":{\"users\":{\"id\":3},\"orders\":{\"id\":9}}}"));

            assertThat(backend.stateIds(Optional.empty())).containsExactly("dev:tap-a-to-target-b", "prod:tap-a-to-target-b");
            assertThat(backend.stateIds(Optional.of("prod:*"))).containsExactly("prod:tap-a-to-target-b");

            backend.clear("dev:tap-a-to-target-b");
            assertThat(backend.read("dev:tap-a-to-target-b")).isEmpty();
            assertThat(readDirect("meltano/state/dev:tap-a-to-target-b/state.json")).isEmpty();
            assertThat(backend.stateIds(Optional.empty())).containsExactly("prod:tap-a-to-target-b");
        }
    }

    @Test
    void credentialsAndEndpointComeFromTheSdkEnvironmentWhenTheUriHasNone() {
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", MotoServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY",
                MotoServer.SECRET_KEY, "AWS_ENDPOINT_URL_S3", moto.endpoint().toString(), "AWS_REGION", "eu-west-1");
        try (StateBackend backend = open(URI.create("s3://" + bucket), Map.of(), env, FAST)) {
            backend.save("dev:x", new StateBlob("{\"n\":1}"), StateWriteMode.COMPLETE);
        }
        assertThat(readDirect("dev:x/state.json")).isPresent();
    }

    @Test
    void aBackendThatIsDownAtOpenFailsNamingTheMaskedUriBeforeAnythingRuns() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        URI uri = URI.create("s3://" + MotoServer.ACCESS_KEY + ":" + MotoServer.SECRET_KEY + "@" + bucket + "/p");
        long start = System.nanoTime();
        assertThatThrownBy(() -> open(uri, Map.of("s3.endpoint_url", "http://127.0.0.1:" + dead), Map.of(), FAST))
                .isInstanceOfSatisfying(StateStoreException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_BACKEND_UNAVAILABLE);
                    assertThat(e.errorCode().exitCode()).isEqualTo(5);
                    assertThat(e.getMessage()).contains("s3://***@" + bucket + "/p").doesNotContain(MotoServer.SECRET_KEY)
                            .doesNotContain(MotoServer.ACCESS_KEY);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

        URI missing = URI.create("s3://no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8) + "/p");
        assertThatThrownBy(() -> open(missing, Map.of("s3.endpoint_url", moto.endpoint().toString(),
                "s3.aws_access_key_id", MotoServer.ACCESS_KEY, "s3.aws_secret_access_key", MotoServer.SECRET_KEY), Map.of(), FAST))
                .isInstanceOfSatisfying(StateStoreException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_BACKEND_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("does not exist").doesNotContain(MotoServer.SECRET_KEY);
                });
    }

    @Test
    void aServerThatStopsAnsweringMidRunFailsTheCommitAndKeepsTheSavedState() throws Exception {
        try (StateBackend backend = open(settingsUri(), endpointSettings(), Map.of(), FAST);
             StateLock ignored = backend.lock("dev:mid")) {
            backend.save("dev:mid", new StateBlob("{\"n\":1}"), StateWriteMode.COMPLETE);
            moto.freeze();
            long start = System.nanoTime();
            try {
                assertThatThrownBy(() -> backend.save("dev:mid", new StateBlob("{\"n\":2}"), StateWriteMode.COMPLETE))
                        .isInstanceOfSatisfying(StateStoreException.class, e -> assertThat(e.errorCode())
                                .isIn(ErrorCode.STATE_BACKEND_UNAVAILABLE, ErrorCode.STATE_LEASE_LOST));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by the timeouts").isLessThan(Duration.ofSeconds(10));
            } finally {
                moto.thaw();
            }
            assertThat(readDirect("dev:mid/state.json").orElseThrow().path("completed").path("singer_state"))
                    .isEqualTo(JSON.readTree("{\"n\":1}"));
        }
        try (StateBackend next = open(settingsUri(), endpointSettings(), Map.of(), FAST);
             StateLock ignored = next.lock("dev:mid")) {
            assertThat(next.read("dev:mid").map(StateBlob::json)).hasValueSatisfying(j -> assertThat(j).contains("\"n\":1"));
            next.save("dev:mid", new StateBlob("{\"n\":2}"), StateWriteMode.COMPLETE);
        }
    }

    @Test
    void eightProcessesHoldTheLeaseOneAtATimeAndAKilledHolderIsFollowedWithinTheTtl() throws Exception {
        String stateId = "dev:contended";
        ChildLines lines = new ChildLines();
        Map<String, Process> bySource = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            Process p = child(stateId);
            bySource.put("c" + i, p);
            lines.follow("c" + i, p.getInputStream(), l -> l.startsWith("@@ "));
        }
        Set<String> done = new HashSet<>();
        long expected = 0;
        String killed = null;
        long killedAt = 0;
        for (int round = 0; round < 8; round++) {
            ChildLines.Line held = lines.await(l -> l.ended() ? !done.contains(l.source()) : l.line().startsWith("@@ held"),
                    Duration.ofSeconds(90));
            assertThat(held.ended()).as("a child ended before holding the lease: %s%n%s", held.source(),
                    held.ended() ? Files.readString(dir.resolve("child-" + held.source().substring(1) + ".log")) : "").isFalse();
            assertThat(done).doesNotContain(held.source());
            if (killed != null) {
                Duration gap = Duration.ofNanos(held.receivedNanos() - killedAt);
                assertThat(gap).as("the next run after a SIGKILLed holder").isLessThan(FAST.ttl().plusSeconds(2));
                killed = null;
            }
            Process holder = bySource.get(held.source());
            if (round == 3) {
                holder.destroyForcibly(); // SIGKILL: no release, the lease must expire
                killedAt = System.nanoTime();
                killed = held.source();
                done.add(held.source());
                continue;
            }
            send(holder, "save");
            ChildLines.Line saved = lines.await(l -> l.source().equals(held.source()), Duration.ofSeconds(30));
            expected++;
            assertThat(saved.line()).isEqualTo("@@ saved " + expected);
            send(holder, "release");
            assertThat(lines.await(l -> l.source().equals(held.source()), Duration.ofSeconds(30)).line()).startsWith("@@ released");
            send(holder, "exit");
            done.add(held.source());
        }
        JsonNode state = readDirect(stateId + "/state.json").orElseThrow().path("completed").path("singer_state");
        assertThat(state.path("n").asLong()).isEqualTo(7);
    }

    @Test
    void aRunPausedPastItsLeaseCannotOverwriteTheNewerStateOfTheRunThatTookOver() throws Exception {
        String stateId = "dev:paused";
        ChildLines lines = new ChildLines();
        Process first = child(stateId);
        lines.follow("first", first.getInputStream(), l -> l.startsWith("@@ "));
        lines.await(l -> l.source().equals("first") && l.line().startsWith("@@ held"), Duration.ofSeconds(60));
        send(first, "save");
        assertThat(lines.await(l -> l.source().equals("first"), Duration.ofSeconds(30)).line()).isEqualTo("@@ saved 1");

        signal(first, "STOP");
        try {
            Process second = child(stateId);
            lines.follow("second", second.getInputStream(), l -> l.startsWith("@@ "));
            lines.await(l -> l.source().equals("second") && l.line().startsWith("@@ held"), Duration.ofSeconds(60));
            send(second, "save");
            assertThat(lines.await(l -> l.source().equals("second"), Duration.ofSeconds(30)).line()).isEqualTo("@@ saved 2");
        } finally {
            signal(first, "CONT");
        }
        send(first, "save");
        assertThat(lines.await(l -> l.source().equals("first"), Duration.ofSeconds(30)).line())
                .isEqualTo("@@ error " + ErrorCode.STATE_LEASE_LOST);
        JsonNode state = readDirect(stateId + "/state.json").orElseThrow().path("completed").path("singer_state");
        assertThat(state.path("n").asLong()).isEqualTo(2);
        assertThat(state.path("by").asLong()).isNotEqualTo(first.pid());
    }

    @Test
    void aFreshMeltanoLockIsWaitedForUntilItsTimeoutAndAStaleOneIsNot() throws Exception {
        Map<String, String> settings = new HashMap<>(endpointSettings());
        settings.put("lock_timeout_seconds", "3");
        settings.put("lock_retry_seconds", "0.2");
        double lockedAt = Instant.now().minusMillis(1000).toEpochMilli() / 1000.0;
        putDirect("dev:meltano/lock", Double.toString(lockedAt));
        try (StateBackend backend = open(settingsUri(), settings, Map.of(), FAST)) {
            try (StateLock ignored = backend.lock("dev:meltano")) {
                Instant staleFrom = Instant.ofEpochMilli(Math.round(lockedAt * 1000)).plusSeconds(3);
                assertThat(Instant.now()).as("took the lease only once Meltano's lock was stale").isAfterOrEqualTo(staleFrom);
            }
            putDirect("dev:stale/lock", Double.toString(Instant.now().minusSeconds(3600).toEpochMilli() / 1000.0));
            long start = System.nanoTime();
            try (StateLock ignored = backend.lock("dev:stale")) {
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            }
        }
    }

    private URI settingsUri() {
        return URI.create("s3://" + bucket);
    }

    private static Map<String, String> endpointSettings() {
        return Map.of("s3.endpoint_url", moto.endpoint().toString(), "s3.aws_access_key_id", MotoServer.ACCESS_KEY,
                "s3.aws_secret_access_key", MotoServer.SECRET_KEY);
    }

    private StateBackend open(URI uri, Map<String, String> settings, Map<String, String> env, StateBackendConfig.Lease lease) {
        StateBackendProvider provider = ServiceLoader.load(StateBackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.schemes().contains("s3")).findFirst().orElseThrow();
        return provider.open(new StateBackendConfig(uri, settings, env, dir, lease));
    }

    private Process child(String stateId) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LeaseHolderMain.class.getName(), "s3://" + bucket, Long.toString(FAST.heartbeat().toMillis()),
                Long.toString(FAST.ttl().toMillis()), stateId));
        endpointSettings().forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("child-" + children.size() + ".log").toFile()).start();
        children.add(p);
        return p;
    }

    private static void send(Process p, String command) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static void signal(Process p, String sig) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private Optional<JsonNode> readDirect(String key) {
        try {
            return Optional.of(JSON.readTree(direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()));
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + key, e);
        }
    }

    private void putDirect(String key, String body) {
        direct.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }
}
