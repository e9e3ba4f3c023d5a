package io.tapline.internal.state.s3;

import io.tapline.internal.state.objectstore.LockSettings;
import io.tapline.internal.state.objectstore.ObjectStoreStateBackend;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateBackendConfig;
import io.tapline.spi.StateBackendProvider;
import io.tapline.spi.StateStoreException;
import java.time.Duration;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Opens {@code s3://} backends. Credentials: the URI's or the {@code state_backend.s3.*} keys, else the SDK's own
 * chain as the run's environment gives it ({@code AWS_ACCESS_KEY_ID}/..., {@code AWS_PROFILE}, then the default
 * chain: profile files, container and instance roles). Requests are bounded: one attempt may take two lease
 * heartbeats (2 to 5 s), a call with its retries (standard mode, 3 attempts with backoff) one lease TTL (4 to
 * 20 s), since a renewal slower than that is as good as failed.
 */
public final class S3StateBackendProvider implements StateBackendProvider {
    @Override
    public Set<String> schemes() { return Set.of("s3"); }

    @Override
    public StateBackend open(StateBackendConfig config) {
        S3Settings settings = S3Settings.from(config);
        LockSettings lockSettings = LockSettings.from(config);
        S3ObjectStore store = new S3ObjectStore(client(settings, config.lease()), settings.bucket(), config.maskedUri());
        try {
            try {
                store.probe();
            } catch (StateStoreException e) {
                if (!(e.getCause() instanceof ApiCallTimeoutException)) {
                    throw e;
                }
                store.probe(); // a cold JVM's first request also loads the SDK: one more bounded try
            }
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return new ObjectStoreStateBackend(store, settings.prefix(), config.lease(), lockSettings);
    }

    private static S3Client client(S3Settings s, StateBackendConfig.Lease lease) {
        Duration attempt = clamp(lease.heartbeat().multipliedBy(2), Duration.ofSeconds(2), Duration.ofSeconds(5));
        Duration call = clamp(lease.ttl(), Duration.ofSeconds(4), Duration.ofSeconds(20));
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(attempt).socketTimeout(attempt))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(attempt).apiCallTimeout(call)
                        .retryStrategy(RetryMode.STANDARD))
                .credentialsProvider(credentials(s))
                .region(Region.of(s.region().orElse("us-east-1")));
        s.endpoint().ifPresent(e -> b.endpointOverride(e).forcePathStyle(true));
        return b.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings s) {
        if (s.keys().isPresent()) {
            return StaticCredentialsProvider.create(basic(s.keys().get()));
        }
        if (s.environmentKeys().isPresent()) {
            return StaticCredentialsProvider.create(basic(s.environmentKeys().get()));
        }
        if (s.profile().isPresent()) {
            return ProfileCredentialsProvider.create(s.profile().get());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static software.amazon.awssdk.auth.credentials.AwsCredentials basic(S3Settings.Keys k) {
        return k.sessionToken().isPresent()
                ? AwsSessionCredentials.create(k.accessKeyId(), k.secretAccessKey().value(), k.sessionToken().get().value())
                : AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey().value());
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }
}
