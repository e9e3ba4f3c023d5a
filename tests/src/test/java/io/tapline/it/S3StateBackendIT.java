package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.it.support.ChildLines;
import io.tapline.it.support.LeaseHolderMain;
import io.tapline.it.support.MotoServer;
import io.tapline.it.support.ObjectStoreBackendContract;
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
 * the shared contract (layout, verbs, the lease across 8 JVMs, a paused holder) plus S3's credentials and
 * endpoint resolution, Meltano's lock object, and a server that is down or stops answering mid-run.
 */
class S3StateBackendIT extends ObjectStoreBackendContract {
    private static MotoServer moto;
    private static S3Client direct;

    private String bucket;

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

    @Override
    protected URI freshLocation(String prefix) {
        return URI.create("s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix));
    }

    @Override
    protected Map<String, String> settings() { return endpointSettings(); }

    @Override
    protected Map<String, String> environment() { return Map.of(); }

    @Test
    void credentialsInTheUriAreUsedAndMasked() {
        URI uri = URI.create("s3://" + MotoServer.ACCESS_KEY + ":" + MotoServer.SECRET_KEY + "@" + bucket + "/p");
        try (StateBackend backend = open(uri, Map.of("s3.endpoint_url", moto.endpoint().toString()), Map.of(), FAST)) {
            assertThat(backend.describe()).isEqualTo("s3://***@" + bucket + "/p");
            backend.save("dev:x", new StateBlob("{\"n\":1}"), StateWriteMode.COMPLETE);
        }
        assertThat(readDirect("p/dev:x/state.json")).isPresent();
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
            assertThat(json("dev:mid/state.json").orElseThrow().path("completed").path("singer_state"))
                    .isEqualTo(JSON.readTree("{\"n\":1}"));
        }
        try (StateBackend next = open(settingsUri(), endpointSettings(), Map.of(), FAST);
             StateLock ignored = next.lock("dev:mid")) {
            assertThat(next.read("dev:mid").map(StateBlob::json)).hasValueSatisfying(j -> assertThat(j).contains("\"n\":1"));
            next.save("dev:mid", new StateBlob("{\"n\":2}"), StateWriteMode.COMPLETE);
        }
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





    @Override
    protected Optional<byte[]> readDirect(String key) {
        try {
            return Optional.of(direct.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    protected void putDirect(String key, String body) {
        direct.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(body));
    }
}
