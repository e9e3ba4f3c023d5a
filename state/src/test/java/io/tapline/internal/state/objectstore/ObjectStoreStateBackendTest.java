package io.tapline.internal.state.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateLock;
import io.tapline.spi.StateStoreException;
import io.tapline.spi.StateWriteMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectStoreStateBackendTest {
    private static final StateBackendConfig.Lease LEASE = new StateBackendConfig.Lease(Duration.ofSeconds(10), Duration.ofSeconds(60));
    private final InMemoryObjectStore store = new InMemoryObjectStore();

    private ObjectStoreStateBackend backend(String prefix) {
        return new ObjectStoreStateBackend(store, prefix, LEASE, LockSettings.DEFAULT);
    }

    @Test
    void keysFollowMeltanosLayoutWhateverSlashesThePrefixHas() {
        assertThat(backend("/a/b/").key("dev:x", "state.json")).isEqualTo("a/b/dev:x/state.json");
        assertThat(backend("").key("dev:x", "lock")).isEqualTo("dev:x/lock");
        assertThatThrownBy(() -> backend("p").key("../x", "state.json")).isInstanceOf(ConfigException.class);
    }

    @Test
    void aSecondRunIsRefusedWhileTheLeaseIsLiveAndTakesItOnceReleasedOrExpired() {
        ObjectStoreStateBackend one = backend("p");
        ObjectStoreStateBackend two = backend("p");
        StateLock held = one.lock("dev:x");
        assertThatThrownBy(() -> two.lock("dev:x")).isInstanceOfSatisfying(StateStoreException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_LOCKED));
        held.close();
        two.lock("dev:x").close();

        StateLock abandoned = one.lock("dev:y");
        store.age(LEASE.ttl()); // its holder stopped renewing a TTL ago
        StateLock taken = two.lock("dev:y");
        store.age(Duration.ZERO);
        assertThatThrownBy(() -> one.save("dev:y", new StateBlob("{\"n\":1}"), StateWriteMode.COMPLETE))
                .isInstanceOfSatisfying(StateStoreException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_LEASE_LOST));
        two.save("dev:y", new StateBlob("{\"n\":2}"), StateWriteMode.COMPLETE);
        abandoned.close(); // releases nothing: the lease is no longer its own
        assertThatThrownBy(() -> one.lock("dev:y")).isInstanceOf(StateStoreException.class);
        taken.close();
        one.close();
        two.close();
    }

    @Test
    void aStateWrittenByAnotherToolUnderTheLeaseIsNeverOverwritten() {
        ObjectStoreStateBackend run = backend("p");
        try (StateLock ignored = run.lock("dev:x")) {
            run.save("dev:x", new StateBlob("{\"n\":1}"), StateWriteMode.COMPLETE);
            store.put("p/dev:x/state.json", "{\"completed\":{\"singer_state\":{\"n\":9}},\"partial\":{}}".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> run.save("dev:x", new StateBlob("{\"n\":2}"), StateWriteMode.COMPLETE))
                    .isInstanceOfSatisfying(StateStoreException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_LEASE_LOST));
        }
        assertThat(run.read("dev:x")).contains(new StateBlob("{\"n\":9}"));
        run.close();
    }

    @Test
    void partialStatesMergeOntoTheCompletedOneWithoutALease() {
        ObjectStoreStateBackend b = backend("");
        b.save("dev:x", new StateBlob("{\"bookmarks\":{\"a\":1}}"), StateWriteMode.COMPLETE);
        b.save("dev:x", new StateBlob("{\"bookmarks\":{\"b\":2}}"), StateWriteMode.PARTIAL);
        assertThat(b.read("dev:x")).contains(new StateBlob("{\"bookmarks\":{\"a\":1,\"b\":2}}"));
        assertThat(b.stateIds(Optional.empty())).containsExactly("dev:x");
        b.close();
    }

    @Test
    void meltanosLockSettingsAreParsedAndBadOnesNamed() {
        StateBackendConfig config = new StateBackendConfig(URI.create("s3://b/p"),
                Map.of("lock_timeout_seconds", "30", "lock_retry_seconds", "0.5"), Map.of(), Path.of("."), LEASE);
        assertThat(LockSettings.from(config)).isEqualTo(new LockSettings(Duration.ofSeconds(30), Duration.ofMillis(500)));
        StateBackendConfig bad = new StateBackendConfig(URI.create("s3://b/p"), Map.of("lock_retry_seconds", "soon"),
                Map.of(), Path.of("."), LEASE);
        assertThatThrownBy(() -> LockSettings.from(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("state_backend.lock_retry_seconds");
    }
}
