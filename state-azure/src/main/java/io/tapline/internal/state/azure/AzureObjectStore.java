package io.tapline.internal.state.azure;

import com.azure.core.exception.AzureException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.DateTimeRfc1123;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.core.util.Context;
import io.tapline.internal.state.objectstore.ObjectStore;
import io.tapline.internal.state.objectstore.StoredObject;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ObjectStore} on one Azure Blob container; versions are ETags, conditional writes use If-None-Match
 * ({@code *}) and If-Match, which Azure applies atomically on a single-shot upload. Ages use the service's
 * {@code Date} header against the blob's {@code Last-Modified}, so hosts' clocks do not matter.
 */
final class AzureObjectStore implements ObjectStore {
    private final BlobContainerClient container;
    private final String masked;
    private final Duration timeout;

    AzureObjectStore(BlobContainerClient container, String masked, Duration timeout) {
        this.container = container;
        this.masked = masked;
        this.timeout = timeout;
    }

    @Override
    public String describe() { return masked; }

    @Override
    public void probe() {
        boolean exists = call("reach container '" + container.getBlobContainerName() + "'", container::exists);
        if (!exists) {
            throw new StateStoreException(ErrorCode.STATE_BACKEND_UNAVAILABLE, "Azure state backend " + masked
                    + ": could not reach container '" + container.getBlobContainerName() + "': the container does not exist");
        }
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return call("read " + key, () -> {
            try {
                BlobDownloadContentResponse r = container.getBlobClient(key)
                        .downloadContentWithResponse(null, null, timeout, Context.NONE);
                Instant modified = r.getDeserializedHeaders().getLastModified().toInstant();
                Instant now = serverNow(r.getHeaders().getValue(HttpHeaderName.DATE)).orElseGet(Instant::now);
                return Optional.of(new StoredObject(r.getValue().toBytes(), r.getDeserializedHeaders().getETag(),
                        Duration.between(modified, now)));
            } catch (BlobStorageException e) {
                if (e.getErrorCode() == BlobErrorCode.BLOB_NOT_FOUND) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<String> create(String key, byte[] bytes) {
        return upload("create " + key, key, bytes, new BlobRequestConditions().setIfNoneMatch("*"));
    }

    @Override
    public Optional<String> replace(String key, byte[] bytes, String version) {
        return upload("replace " + key, key, bytes, new BlobRequestConditions().setIfMatch(version));
    }

    @Override
    public String put(String key, byte[] bytes) {
        return upload("write " + key, key, bytes, new BlobRequestConditions())
                .orElseThrow(() -> new StateStoreException(ErrorCode.STATE_STORE_FAILED, "unconditional write refused"));
    }

    @Override
    public void delete(String key) {
        call("delete " + key, () -> container.getBlobClient(key).deleteIfExists());
    }

    @Override
    public List<String> keys(String prefix) {
        return call("list " + (prefix.isEmpty() ? "the container" : prefix), () -> {
            List<String> keys = new ArrayList<>();
            for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), timeout)) {
                keys.add(item.getName());
            }
            return keys;
        });
    }

    private Optional<String> upload(String what, String key, byte[] bytes, BlobRequestConditions conditions) {
        return call(what, () -> {
            BlobClient blob = container.getBlobClient(key);
            BlobParallelUploadOptions options = new BlobParallelUploadOptions(BinaryData.fromBytes(bytes))
                    .setRequestConditions(conditions).setHeaders(new BlobHttpHeaders().setContentType("application/json"));
            try {
                Response<BlockBlobItem> r = blob.uploadWithResponse(options, timeout, Context.NONE);
                return Optional.of(r.getValue().getETag());
            } catch (BlobStorageException e) {
                // 412: the condition failed; 409: the blob exists (If-None-Match *) or a lease/write conflict
                if (e.getStatusCode() == 412 || e.getStatusCode() == 409 || e.getStatusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (BlobStorageException e) {
            String reason = switch (e.getStatusCode()) {
                case 401, 403 -> "the credentials were refused";
                case 404 -> "the container does not exist";
                default -> "the service answered HTTP " + e.getStatusCode();
            };
            throw unavailable(what, reason, e);
        } catch (AzureException | IllegalStateException e) {
            throw unavailable(what, "it could not be reached (" + e.getClass().getSimpleName() + ")", e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.util.concurrent.TimeoutException || e instanceof java.io.UncheckedIOException) {
                throw unavailable(what, "it could not be reached (" + e.getClass().getSimpleName() + ")", e);
            }
            throw e;
        }
    }

    private StateStoreException unavailable(String what, String reason, Exception cause) {
        return new StateStoreException(ErrorCode.STATE_BACKEND_UNAVAILABLE,
                "Azure state backend " + masked + ": could not " + what + ": " + reason, cause);
    }

    private static Optional<Instant> serverNow(String date) {
        try {
            return Optional.ofNullable(date).map(d -> new DateTimeRfc1123(d).getDateTime().toInstant());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        // the client holds only pooled connections, released with the JVM's shared HTTP client
    }

}
