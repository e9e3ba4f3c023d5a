package io.tapline.internal.state.gcs;

import com.google.cloud.BaseServiceException;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
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
 * {@link ObjectStore} on one GCS bucket; versions are object generations, conditional writes use
 * {@code ifGenerationMatch} ({@code doesNotExist} for a create). The JSON API reports no server clock with an
 * object, so a lease's age is this host's clock minus the object's update time: hosts need clocks within a
 * fraction of the lease TTL of each other (NTP gives milliseconds).
 */
final class GcsObjectStore implements ObjectStore {
    private final Storage storage;
    private final String bucket;
    private final String masked;
    private boolean closed;

    GcsObjectStore(Storage storage, String bucket, String masked) {
        this.storage = storage;
        this.bucket = bucket;
        this.masked = masked;
    }

    @Override
    public String describe() { return masked; }

    @Override
    public void probe() {
        boolean exists = call("reach bucket '" + bucket + "'", () -> storage.get(bucket) != null);
        if (!exists) {
            throw new StateStoreException(ErrorCode.STATE_BACKEND_UNAVAILABLE,
                    "GCS state backend " + masked + ": could not reach bucket '" + bucket + "': the bucket does not exist");
        }
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return call("read " + key, () -> {
            Blob blob = storage.get(BlobId.of(bucket, key));
            if (blob == null) {
                return Optional.empty();
            }
            byte[] bytes;
            try {
                bytes = storage.readAllBytes(BlobId.of(bucket, key, blob.getGeneration()));
            } catch (StorageException e) {
                if (e.getCode() == 404) {
                    return Optional.empty(); // replaced or deleted between the two requests: read as gone
                }
                throw e;
            }
            Instant updated = Optional.ofNullable(blob.getUpdateTimeOffsetDateTime()).map(t -> t.toInstant())
                    .orElse(Instant.now());
            return Optional.of(new StoredObject(bytes, Long.toString(blob.getGeneration()),
                    Duration.between(updated, Instant.now())));
        });
    }

    @Override
    public Optional<String> create(String key, byte[] bytes) {
        return conditional("create " + key, () -> storage.create(info(BlobId.of(bucket, key)), bytes,
                Storage.BlobTargetOption.doesNotExist()));
    }

    @Override
    public Optional<String> replace(String key, byte[] bytes, String version) {
        long generation = Long.parseLong(version);
        return conditional("replace " + key, () -> storage.create(info(BlobId.of(bucket, key, generation)), bytes,
                Storage.BlobTargetOption.generationMatch()));
    }

    @Override
    public String put(String key, byte[] bytes) {
        return call("write " + key, () -> Long.toString(storage.create(info(BlobId.of(bucket, key)), bytes).getGeneration()));
    }

    @Override
    public void delete(String key) {
        call("delete " + key, () -> storage.delete(BlobId.of(bucket, key)));
    }

    @Override
    public List<String> keys(String prefix) {
        return call("list " + (prefix.isEmpty() ? "the bucket" : prefix), () -> {
            List<String> keys = new ArrayList<>();
            for (Blob b : storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
                keys.add(b.getName());
            }
            return keys;
        });
    }

    private static BlobInfo info(BlobId id) {
        return BlobInfo.newBuilder(id).setContentType("application/json").build();
    }

    private Optional<String> conditional(String what, Supplier<Blob> write) {
        return call(what, () -> {
            try {
                return Optional.of(Long.toString(write.get().getGeneration()));
            } catch (StorageException e) {
                // 412: the precondition failed; 409: a concurrent write won; 404: the generation is gone
                if (e.getCode() == 412 || e.getCode() == 409 || e.getCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (BaseServiceException e) {
            String reason = switch (e.getCode()) {
                case 401, 403 -> "the credentials were refused";
                case 404 -> "the bucket does not exist";
                case 0 -> "it could not be reached";
                default -> "the server answered HTTP " + e.getCode();
            };
            throw new StateStoreException(ErrorCode.STATE_BACKEND_UNAVAILABLE,
                    "GCS state backend " + masked + ": could not " + what + ": " + reason, e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                storage.close();
            } catch (Exception e) {
                // nothing held that outlives the process
            }
        }
    }
}
