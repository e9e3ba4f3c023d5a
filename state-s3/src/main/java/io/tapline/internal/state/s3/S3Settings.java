package io.tapline.internal.state.s3;

import io.tapline.spi.ConfigException;
import io.tapline.spi.Secret;
import io.tapline.spi.StateBackendConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Meltano's S3 state backend settings, parsed once: {@code s3://[<key id>:<secret>@]<bucket>/<prefix>}, then
 * {@code state_backend.s3.aws_access_key_id} / {@code .aws_secret_access_key} (which win over the URI's, as in
 * Meltano) and {@code .endpoint_url}, else {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL}.
 *
 * @param keys the static keys, or empty for the SDK's own credential chain
 * @param region {@code AWS_REGION} / {@code AWS_DEFAULT_REGION}, if set
 * @param profile {@code AWS_PROFILE}, if set
 */
record S3Settings(String bucket, String prefix, Optional<Keys> keys, Optional<URI> endpoint, Optional<String> region,
        Optional<String> profile, Optional<Keys> environmentKeys) {

    /** An access key pair; {@code toString} masks the secret. */
    record Keys(String accessKeyId, Secret secretAccessKey, Optional<Secret> sessionToken) {}

    static S3Settings from(StateBackendConfig config) {
        URI uri = config.uri();
        String authority = Optional.ofNullable(uri.getRawAuthority()).orElse("");
        String bucket = authority.contains("@") ? authority.substring(authority.lastIndexOf('@') + 1) : authority;
        if (bucket.isEmpty()) {
            throw new ConfigException("state_backend.uri " + config.maskedUri() + " names no bucket (s3://<bucket>/<prefix>)");
        }
        String info = Optional.ofNullable(uri.getRawUserInfo()).orElse("");
        int colon = info.indexOf(':');
        Optional<String> uriKey = Optional.of(decode(colon < 0 ? info : info.substring(0, colon))).filter(s -> !s.isEmpty());
        Optional<String> uriSecret = colon < 0 ? Optional.empty()
                : Optional.of(decode(info.substring(colon + 1))).filter(s -> !s.isEmpty());
        Optional<String> keyId = config.setting("s3.aws_access_key_id").or(() -> uriKey);
        Optional<String> secret = config.setting("s3.aws_secret_access_key").or(() -> uriSecret);
        if (keyId.isPresent() != secret.isPresent()) {
            throw new ConfigException(keyId.isPresent()
                    ? "AWS access key ID configured for the S3 state backend, but no AWS secret access key"
                    : "AWS secret access key configured for the S3 state backend, but no AWS access key ID");
        }
        Map<String, String> env = config.environment();
        Optional<String> endpoint = config.setting("s3.endpoint_url")
                .or(() -> nonEmpty(env, "AWS_ENDPOINT_URL_S3")).or(() -> nonEmpty(env, "AWS_ENDPOINT_URL"));
        Optional<URI> endpointUri = endpoint.map(e -> {
            try {
                URI u = new URI(e);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new URISyntaxException(e, "not an absolute http(s) URL");
                }
                return u;
            } catch (URISyntaxException ex) {
                throw new ConfigException("the S3 endpoint URL (state_backend.s3.endpoint_url or AWS_ENDPOINT_URL[_S3]) "
                        + "is not an absolute URL");
            }
        });
        Optional<Keys> envKeys = nonEmpty(env, "AWS_ACCESS_KEY_ID").flatMap(id -> nonEmpty(env, "AWS_SECRET_ACCESS_KEY")
                .map(s -> new Keys(id, new Secret(s), nonEmpty(env, "AWS_SESSION_TOKEN").map(Secret::new))));
        return new S3Settings(bucket, Optional.ofNullable(uri.getPath()).orElse(""),
                keyId.map(id -> new Keys(id, new Secret(secret.orElseThrow()), Optional.empty())), endpointUri,
                nonEmpty(env, "AWS_REGION").or(() -> nonEmpty(env, "AWS_DEFAULT_REGION")), nonEmpty(env, "AWS_PROFILE"),
                envKeys);
    }

    private static Optional<String> nonEmpty(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
