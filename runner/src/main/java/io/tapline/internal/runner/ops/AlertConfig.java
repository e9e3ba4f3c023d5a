package io.tapline.internal.runner.ops;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ConfigException;
import java.net.URI;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * When and where to send run alerts.
 *
 * @param webhook the URL to POST to (a Slack incoming webhook or anything taking JSON); a secret
 * @param onFailure alert when a run fails
 * @param onSuccess alert when a run succeeds
 * @param rowDropPercent alert when a run read more than this many percent fewer records than the last successful run
 * @param timeout connect and response timeout of the POST
 */
public record AlertConfig(URI webhook, boolean onFailure, boolean onSuccess, OptionalDouble rowDropPercent,
        Duration timeout) {
    public AlertConfig {
        requireNonNull(webhook, "webhook is null");
        if (!"http".equals(webhook.getScheme()) && !"https".equals(webhook.getScheme())) {
            throw new ConfigException("alert webhook must be an http(s) URL");
        }
        if (rowDropPercent.isPresent() && (rowDropPercent.getAsDouble() <= 0 || rowDropPercent.getAsDouble() > 100)) {
            throw new ConfigException("row_drop_percent must be in (0, 100]");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigException("alert timeout must be positive");
        }
    }

    /** Failures only, 10 s timeout. */
    public static AlertConfig onFailure(URI webhook) {
        return new AlertConfig(webhook, true, false, OptionalDouble.empty(), Duration.ofSeconds(10));
    }

    /** Where the webhook points, for log lines: the full URL (a Slack webhook's path is its token) never appears. */
    public String target() {
        return webhook.getScheme() + "://" + webhook.getHost() + (webhook.getPort() > 0 ? ":" + webhook.getPort() : "");
    }
}
