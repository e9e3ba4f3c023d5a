package io.tapline.internal.runner.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.PluginMetric;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises the Singer SDK's metric log lines, e.g.
 * {@code 2024-05-01 10:00:00,123 | INFO | singer_sdk.metrics | METRIC: {"type": "counter", ...}}
 * or {@code INFO METRIC: {...}}: whatever precedes {@code METRIC: } is the logger's own format.
 */
public final class MetricLine {
    private static final String MARKER = "METRIC: {";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MetricLine() {}

    /** The metric in {@code line}, or empty when it is not a well-formed metric line. */
    public static Optional<PluginMetric> parse(String plugin, String line) {
        int at = line.indexOf(MARKER);
        if (at < 0) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(line.substring(at + MARKER.length() - 1));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        JsonNode type = json.path("type");
        JsonNode metric = json.path("metric");
        JsonNode value = json.path("value");
        if (!type.isTextual() || !metric.isTextual() || !value.isNumber()) {
            return Optional.empty();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        json.path("tags").properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                tags.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        });
        return Optional.of(new PluginMetric(plugin, type.asText(), metric.asText(), value.asDouble(), tags));
    }
}
