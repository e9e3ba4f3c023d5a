package io.tapline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import io.tapline.it.support.AzuriteServer;
import io.tapline.it.support.ObjectStoreBackendContract;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateStoreException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code azure://} state backend against Azurite, through the SPI: the shared contract (layout, verbs, the
 * lease on ETag conditions across 8 JVMs, a paused holder), the connection string from the environment, and a
 * missing container at open with the account key in no message.
 */
class AzureStateBackendIT extends ObjectStoreBackendContract {
    private static AzuriteServer azurite;
    private static BlobServiceClient service;
    private BlobContainerClient container;

    @BeforeAll
    static void startServer() throws Exception {
        azurite = AzuriteServer.start();
        service = azurite.client();
    }

    @AfterAll
    static void stopServer() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @BeforeEach
    void newContainer() {
        container = service.createBlobContainer("tapline-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Override
    protected URI freshLocation(String prefix) {
        return URI.create("azure://" + container.getBlobContainerName() + (prefix.isEmpty() ? "" : "/" + prefix));
    }

    @Override
    protected Map<String, String> settings() { return Map.of("azure.connection_string", azurite.connectionString()); }

    @Override
    protected Map<String, String> environment() { return Map.of(); }

    @Override
    protected Optional<byte[]> readDirect(String key) {
        var blob = container.getBlobClient(key);
        return blob.exists() ? Optional.of(blob.downloadContent().toBytes()) : Optional.empty();
    }

    @Override
    protected void putDirect(String key, String body) {
        container.getBlobClient(key).upload(BinaryData.fromString(body), true);
    }

    @Test
    void theConnectionStringComesFromTheEnvironmentWhenNoSettingGivesIt() {
        try (StateBackend backend = open(freshLocation("p"), Map.of(),
                Map.of("AZURE_STORAGE_CONNECTION_STRING", azurite.connectionString()), FAST)) {
            backend.save("dev:x", new io.tapline.spi.StateBlob("{\"n\":1}"), io.tapline.spi.StateWriteMode.COMPLETE);
        }
        assertThat(readDirect("p/dev:x/state.json")).isPresent();
    }

    @Test
    void aMissingContainerFailsAtOpenNamingTheBackendWithoutTheKey() {
        URI missing = URI.create("azure://no-such-container-" + UUID.randomUUID().toString().substring(0, 8) + "/p");
        assertThatThrownBy(() -> open(missing, settings(), environment(), FAST))
                .isInstanceOfSatisfying(StateStoreException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_BACKEND_UNAVAILABLE);
                    assertThat(e.getMessage()).contains(missing.toString()).contains("does not exist")
                            .doesNotContain(AzuriteServer.accountKey());
                });
    }
}
