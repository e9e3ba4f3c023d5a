package io.tapline.internal.state.objectstore;

import java.util.List;
import java.util.Optional;

/**
 * The few operations a state backend needs from an object store, each one request with bounded timeouts
 * and retries. Keys are full object names within the bucket or container. Conditional writes are atomic on
 * the store's side: of two writers racing on one version, exactly one succeeds. A write is all or nothing:
 * a reader sees the old object or the new one, never a part.
 *
 * <p>Every method throws {@link io.tapline.spi.StateStoreException} with
 * {@link io.tapline.spi.ErrorCode#STATE_BACKEND_UNAVAILABLE} when the store cannot be reached or refuses
 * the request; messages name the store by its masked URI and carry no secret. Thread-safe.
 */
public interface ObjectStore extends AutoCloseable {
    /** The store's URI with any secret masked. */
    String describe();

    /** One bounded round trip proving the bucket exists and the credentials are accepted. */
    void probe();

    Optional<StoredObject> get(String key);

    /** Writes {@code bytes} only if {@code key} does not exist; the new version, or empty if it exists. */
    Optional<String> create(String key, byte[] bytes);

    /** Writes {@code bytes} only if {@code key}'s version is {@code version}; the new version, or empty if not. */
    Optional<String> replace(String key, byte[] bytes, String version);

    /** Writes {@code bytes} whatever is there; the new version. */
    String put(String key, byte[] bytes);

    /** Deletes {@code key}; nothing happens if it is absent. */
    void delete(String key);

    /** The keys starting with {@code prefix}, in no particular order. */
    List<String> keys(String prefix);

    /** Releases the client; idempotent, never throws. */
    @Override
    void close();
}
