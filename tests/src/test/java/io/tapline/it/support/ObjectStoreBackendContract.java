package io.tapline.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateWriteMode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every object-store state backend must do, against its real server: Meltano's layout read back directly
 * from the store, and the run lease across JVMs (8 processes on one state id with a SIGKILLed holder; a holder
 * paused past its lease). A subclass names the backend and reads the store directly.
 */
public abstract class ObjectStoreBackendContract {
    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final StateBackendConfig.Lease FAST = new StateBackendConfig.Lease(Duration.ofSeconds(1), Duration.ofSeconds(4));

    @TempDir protected Path dir;
    private final List<Process> children = new ArrayList<>();

    /** The backend URI for a fresh, empty bucket or container with this prefix (no credentials in it). */
    protected abstract URI freshLocation(String prefix);

    /** The settings that reach the test server. */
    protected abstract Map<String, String> settings();

    /** The environment the backend (and a child JVM) sees. */
    protected abstract Map<String, String> environment();

    /** The object at {@code key} in the current bucket, read without tapline. */
    protected abstract Optional<byte[]> readDirect(String key);

    /** Writes {@code body} at {@code key} in the current bucket without tapline. */
    protected abstract void putDirect(String key, String body);

    private URI location;

    @AfterEach
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    protected URI location() {
        if (location == null) {
            location = freshLocation("");
        }
        return location;
    }

    @Test
    void stateVerbsKeepMeltanosLayoutInTheStore() throws Exception {
        location = freshLocation("meltano/state");
        try (StateBackend backend = open(location, settings(), environment(), FAST)) {
            assertThat(backend.read("dev:tap-a-to-target-b")).isEmpty();
            backend.save("dev:tap-a-to-target-b", new StateBlob("{\"bookmarks\":{\"users\":{\"id\":3}}}"), StateWriteMode.COMPLETE);
            backend.save("dev:tap-a-to-target-b", new StateBlob("{\"bookmarks\":{\"orders\":{\"id\":9}}}"), StateWriteMode.PARTIAL);
            backend.save("prod:tap-a-to-target-b", new StateBlob("{\"n\":1}"), StateWriteMode.COMPLETE);

            JsonNode stored = json("meltano/state/dev:tap-a-to-target-b/state.json").orElseThrow();
            assertThat(stored.path("completed").path("singer_state")).isEqualTo(JSON.readTree("{\"bookmarks\":{\"users\":{\"id\":3}}}"));
            assertThat(stored.path("partial").path("singer_state")).isEqualTo(JSON.readTree("{\"bookmarks\":{\"orders\":{\"id\":9}}}"));
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
        boolean afterKill = false;
        long killedAt = 0;
        for (int round = 0; round < 8; round++) {
            ChildLines.Line held = lines.await(l -> l.ended() ? !done.contains(l.source()) : l.line().startsWith("@@ held"),
                    Duration.ofSeconds(90));
            assertThat(held.ended()).as("a child ended before holding the lease: %s%n%s", held.source(),
                    held.ended() ? Files.readString(dir.resolve("child-" + held.source().substring(1) + ".log")) : "").isFalse();
            assertThat(done).doesNotContain(held.source());
            if (afterKill) {
                assertThat(Duration.ofNanos(held.receivedNanos() - killedAt)).as("the next run after a SIGKILLed holder")
                        .isLessThan(FAST.ttl().plusSeconds(3)); // TTL + the stores' 1 s clock granularity + polling
                afterKill = false;
            }
            Process holder = bySource.get(held.source());
            done.add(held.source());
            if (round == 3) {
                holder.destroyForcibly(); // SIGKILL: no release, the lease must expire
                killedAt = System.nanoTime();
                afterKill = true;
                continue;
            }
            send(holder, "save");
            ChildLines.Line saved = lines.await(l -> l.source().equals(held.source()), Duration.ofSeconds(30));
            expected++;
            assertThat(saved.line()).isEqualTo("@@ saved " + expected);
            send(holder, "release");
            assertThat(lines.await(l -> l.source().equals(held.source()), Duration.ofSeconds(30)).line()).startsWith("@@ released");
            send(holder, "exit");
        }
        assertThat(json(stateId + "/state.json").orElseThrow().path("completed").path("singer_state").path("n").asLong())
                .isEqualTo(7);
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
        JsonNode state = json(stateId + "/state.json").orElseThrow().path("completed").path("singer_state");
        assertThat(state.path("n").asLong()).isEqualTo(2);
        assertThat(state.path("by").asLong()).isNotEqualTo(first.pid());
    }

    protected StateBackend open(URI uri, Map<String, String> settings, Map<String, String> env, StateBackendConfig.Lease lease) {
        StateBackendProvider provider = ServiceLoader.load(StateBackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.schemes().contains(uri.getScheme())).findFirst().orElseThrow();
        return provider.open(new StateBackendConfig(uri, settings, env, dir, lease));
    }

    protected Optional<JsonNode> json(String key) {
        return readDirect(key).map(b -> {
            try {
                return JSON.readTree(b);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + key, e);
            }
        });
    }

    private Process child(String stateId) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                LeaseHolderMain.class.getName(), location().toString(), Long.toString(FAST.heartbeat().toMillis()),
                Long.toString(FAST.ttl().toMillis()), stateId));
        settings().forEach((k, v) -> cmd.add(k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("child-" + children.size() + ".log").toFile());
        pb.environment().putAll(environment());
        Process p = pb.start();
        children.add(p);
        return p;
    }

    private static void send(Process p, String command) throws IOException {
        OutputStream in = p.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    protected static void signal(Process p, String sig) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
