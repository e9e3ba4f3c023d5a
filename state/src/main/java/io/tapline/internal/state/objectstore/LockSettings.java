package io.tapline.internal.state.objectstore;

import io.tapline.spi.ConfigException;
import io.tapline.spi.StateBackendConfig;
import java.time.Duration;

/**
 * How tapline treats Meltano's {@code <prefix>/<state_id>/lock} object, by Meltano's own settings: a lock younger
 * than {@code state_backend.lock_timeout_seconds} (default 10) is waited for, polling every
 * {@code state_backend.lock_retry_seconds} (default 1); an older one is stale, as Meltano treats it.
 */
public record LockSettings(Duration timeout, Duration retry) {
    public static final LockSettings DEFAULT = new LockSettings(Duration.ofSeconds(10), Duration.ofSeconds(1));

    public LockSettings {
        if (timeout.isNegative() || retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("lock timeout must be >= 0 and lock retry > 0");
        }
    }

    public static LockSettings from(StateBackendConfig config) {
        return new LockSettings(seconds(config, "lock_timeout_seconds", DEFAULT.timeout),
                seconds(config, "lock_retry_seconds", DEFAULT.retry));
    }

    private static Duration seconds(StateBackendConfig config, String name, Duration fallback) {
        return config.setting(name).map(v -> {
            try {
                double s = Double.parseDouble(v.trim());
                if (!(s > 0) || Double.isInfinite(s)) {
                    throw new NumberFormatException();
                }
                return Duration.ofMillis(Math.round(s * 1000));
            } catch (NumberFormatException e) {
                throw new ConfigException("state_backend." + name + " must be a positive number of seconds");
            }
        }).orElse(fallback);
    }
}
