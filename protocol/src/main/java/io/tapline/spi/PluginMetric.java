package io.tapline.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * One metric a plugin reported, e.g. a Singer SDK {@code METRIC: {"type": "counter", "metric":
 * "record_count", "value": 100, "tags": {"stream": "users"}}} line.
 *
 * @param plugin the plugin's name
 * @param type {@code counter} or {@code timer}
 * @param metric e.g. {@code record_count}, {@code http_request_duration}
 * @param value the counter's increment or the timer's seconds
 * @param tags the metric's scalar tags as text (nested ones as compact JSON)
 */
public record PluginMetric(String plugin, String type, String metric, double value, Map<String, String> tags) {
    public PluginMetric {
        requireNonNull(plugin, "plugin is null");
        requireNonNull(type, "type is null");
        requireNonNull(metric, "metric is null");
        tags = Map.copyOf(tags);
    }

    /** The {@code stream} tag, which SDK taps set on per-stream metrics. */
    public Optional<String> stream() { return Optional.ofNullable(tags.get("stream")); }
}
