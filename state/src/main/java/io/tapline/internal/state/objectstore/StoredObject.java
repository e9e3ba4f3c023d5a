package io.tapline.internal.state.objectstore;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * An object as read: its bytes, the version token a conditional write compares against (an S3 ETag, a GCS
 * generation, an Azure ETag), and its age by the store's own clock (now minus last modified), so hosts with
 * skewed clocks agree on when a lease expired.
 */
public record StoredObject(byte[] bytes, String version, Duration age) {
    public StoredObject {
        requireNonNull(bytes, "bytes is null");
        requireNonNull(version, "version is null");
        requireNonNull(age, "age is null");
        age = age.isNegative() ? Duration.ZERO : age;
    }
}
