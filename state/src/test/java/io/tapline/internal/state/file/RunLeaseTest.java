package io.tapline.internal.state.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateStoreException;
import io.tapline.spi.StateLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run lock's lease: what the OS lock cannot cover (other hosts, lock files left behind). */
class RunLeaseTest {
    private static final String ID = "dev:tap-to-target";

    @TempDir Path dir;

    private FileStateStore store() {
        return FileStateStore.at(dir).withLease(Duration.ofMillis(50), Duration.ofMillis(800));
    }

    private void writeLease(RunLease lease) throws Exception {
        Path file = dir.resolve(ID).resolve("run.lock");
        Files.createDirectories(file.getParent());
        Files.write(file, lease.toJson());
    }

    @Test
    void aLiveLeaseFromAnotherHostRefusesTheRunEvenThoughNoOsLockIsHeldUntilItsHeartbeatExpires() throws Exception {
        Instant started = Instant.now().minusSeconds(3600);
        Duration ttl = Duration.ofSeconds(60);
        FileStateStore store = FileStateStore.at(dir).withLease(Duration.ofSeconds(10), ttl);
        // renewed well within the TTL: the other host's run is alive
        writeLease(new RunLease("x", "some-other-host", 42, Optional.empty(), started, Instant.now().minus(ttl.dividedBy(2))));

        assertThatThrownBy(() -> store.lock(ID))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("Another '" + ID + "' pipeline is already running which started at " + started)
                .satisfies(e -> assertThat(((StateStoreException) e).errorCode()).isEqualTo(ErrorCode.STATE_LOCKED));

        // the same lease once its last heartbeat is just over the TTL old (written as such: no waiting for time to pass)
        writeLease(new RunLease("x", "some-other-host", 42, Optional.empty(), started,
                Instant.now().minus(ttl).minusSeconds(1)));
        try (StateLock lock = store.lock(ID)) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void aStaleLeaseFromAnotherHostIsTakenOver() throws Exception {
        Instant old = Instant.now().minus(Duration.ofMinutes(5));
        writeLease(new RunLease("x", "some-other-host", 42, Optional.empty(), old, old));
        try (StateLock lock = store().lock(ID)) {
            assertThat(RunLease.parse(Files.readAllBytes(dir.resolve(ID).resolve("run.lock"))).orElseThrow().owner())
                    .isNotEqualTo("x");
        }
    }

    @Test
    void aLeaseOfADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Instant now = Instant.now();
        writeLease(new RunLease("x", RunLease.hostName(), gone.pid(), Optional.empty(), now, now));
        try (StateLock lock = FileStateStore.at(dir).lock(ID)) { // default TTL: 60 s; no waiting for it
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void aPidReusedByAnotherProcessDoesNotKeepTheLeaseAlive() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Instant now = Instant.now();
        writeLease(new RunLease("x", RunLease.hostName(), self.pid(),
                Optional.of(self.info().startInstant().orElseThrow().minusSeconds(3600)), now, now));
        try (StateLock lock = FileStateStore.at(dir).lock(ID)) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void theHolderRenewsItsHeartbeatAndEmptiesTheLeaseOnRelease() throws Exception {
        Path file = dir.resolve(ID).resolve("run.lock");
        try (StateLock lock = store().lock(ID)) {
            Instant first = RunLease.parse(Files.readAllBytes(file)).orElseThrow().heartbeat();
            Instant latest = first;
            // woken by each write to the lock's folder (inotify), not by a timer; 10 s in all
            try (WatchService watch = file.getFileSystem().newWatchService()) {
                file.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!latest.isAfter(first) && System.nanoTime() < deadline) {
                    WatchKey key = watch.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                    latest = RunLease.parse(Files.readAllBytes(file)).map(RunLease::heartbeat).orElse(first);
                }
            }
            assertThat(latest).isAfter(first);
        }
        assertThat(Files.size(file)).isZero();
        try (StateLock again = store().lock(ID)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void aLockFileOfAnOlderTaplineHoldingOnlyATimestampDoesNotBlock() throws Exception {
        Path file = dir.resolve(ID).resolve("run.lock");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "2026-01-01T00:00:00Z");
        try (StateLock lock = store().lock(ID)) {
            assertThat(lock).isNotNull();
        }
    }
}
