package io.tapline.internal.state.s3;

import io.tapline.internal.state.objectstore.ObjectStore;
import io.tapline.internal.state.objectstore.StoredObject;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.StateStoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link ObjectStore} on one S3 bucket; versions are ETags, conditional writes use If-None-Match / If-Match. */
final class S3ObjectStore implements ObjectStore {
    private final S3Client client;
    private final String bucket;
    private final String masked;
    private boolean closed;

    S3ObjectStore(S3Client client, String bucket, String masked) {
        this.client = client;
        this.bucket = bucket;
        this.masked = masked;
    }

    @Override
    public String describe() { return masked; }

    @Override
    public void probe() {
        call("reach bucket '" + bucket + "'", () -> client.headBucket(b -> b.bucket(bucket)));
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return call("read " + key, () -> {
            try {
                ResponseBytes<GetObjectResponse> r = client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                GetObjectResponse meta = r.response();
                Instant modified = Optional.ofNullable(meta.lastModified()).orElse(Instant.now());
                Instant now = serverNow(meta.sdkHttpResponse()).orElseGet(Instant::now);
                return Optional.of(new StoredObject(r.asByteArray(), meta.eTag(), Duration.between(modified, now)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<String> create(String key, byte[] bytes) {
        return conditional("create " + key, b -> b.ifNoneMatch("*"), key, bytes);
    }

    @Override
    public Optional<String> replace(String key, byte[] bytes, String version) {
        return conditional("replace " + key, b -> b.ifMatch(version), key, bytes);
    }

    @Override
    public String put(String key, byte[] bytes) {
        return call("write " + key, () -> client.putObject(request(key).build(), RequestBody.fromBytes(bytes)).eTag());
    }

    @Override
    public void delete(String key) {
        call("delete " + key, () -> client.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public List<String> keys(String prefix) {
        return call("list " + (prefix.isEmpty() ? "the bucket" : prefix), () -> {
            List<String> keys = new ArrayList<>();
            ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
            for (S3Object o : client.listObjectsV2Paginator(req).contents()) {
                keys.add(o.key());
            }
            return keys;
        });
    }

    private Optional<String> conditional(String what, java.util.function.UnaryOperator<PutObjectRequest.Builder> condition,
            String key, byte[] bytes) {
        return call(what, () -> {
            try {
                PutObjectResponse r = client.putObject(condition.apply(request(key)).build(), RequestBody.fromBytes(bytes));
                return Optional.of(r.eTag());
            } catch (S3Exception e) {
                // 412: the condition failed; 409: a concurrent conditional write won; 404: If-Match on a deleted key
                if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private PutObjectRequest.Builder request(String key) {
        return PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json");
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (S3Exception e) {
            String reason = switch (e.statusCode()) {
                case 401, 403 -> "the credentials were refused";
                case 404 -> "the bucket does not exist";
                default -> "the server answered HTTP " + e.statusCode();
            };
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            throw unavailable(what, reason + (code == null ? "" : " (" + code + ")"), e);
        } catch (SdkException e) {
            throw unavailable(what, "it could not be reached (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    private StateStoreException unavailable(String what, String reason, Exception cause) {
        return new StateStoreException(ErrorCode.STATE_BACKEND_UNAVAILABLE,
                "S3 state backend " + masked + ": could not " + what + ": " + reason, cause);
    }

    /** The server's clock from the Date header, so a lease's age does not depend on this host's clock. */
    private static Optional<Instant> serverNow(SdkHttpResponse http) {
        try {
            return http.firstMatchingHeader("Date")
                    .map(d -> ZonedDateTime.parse(d, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            client.close();
        }
    }
}
