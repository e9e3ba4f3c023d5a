package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.tapline.it.support.FakeGcsServer;
import io.tapline.it.support.ObjectStoreBackendContract;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateStoreException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code gs://} state backend against fake-gcs-server, through the SPI: the shared contract (layout, verbs,
 * the lease on generation preconditions across 8 JVMs, a paused holder) and a missing bucket at open.
 */
class GcsStateBackendIT extends ObjectStoreBackendContract {
    private static FakeGcsServer server;
    private static Storage direct;
    private String bucket;

    @BeforeAll
    static void startServer() throws Exception {
        server = FakeGcsServer.start();
        direct = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (direct != null) {
            direct.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void newBucket() {
        bucket = "tapline-" + UUID.randomUUID().toString().substring(0, 8);
        server.createBucket(direct, bucket);
    }

    @Override
    protected URI freshLocation(String prefix) {
        return URI.create("gs://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix));
    }

    @Override
    protected Map<String, String> settings() { return Map.of(); }

    @Override
    protected Map<String, String> environment() { return Map.of("STORAGE_EMULATOR_HOST", server.host()); }

    @Override
    protected Optional<byte[]> readDirect(String key) {
        return Optional.ofNullable(direct.get(BlobId.of(bucket, key))).map(b -> b.getContent());
    }

    @Override
    protected void putDirect(String key, String body) {
        direct.create(BlobInfo.newBuilder(BlobId.of(bucket, key)).build(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingBucketFailsAtOpenNamingTheBackend() {
        URI missing = URI.create("gs://no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8) + "/p");
        assertThatThrownBy(() -> open(missing, settings(), environment(), FAST))
                .isInstanceOfSatisfying(StateStoreException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_BACKEND_UNAVAILABLE);
                    assertThat(e.getMessage()).contains(missing.toString()).contains("does not exist");
                });
    }
}
