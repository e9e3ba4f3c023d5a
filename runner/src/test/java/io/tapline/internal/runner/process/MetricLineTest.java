package io.tapline.internal.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.spi.PluginMetric;
import org.junit.jupiter.api.Test;

class MetricLineTest {
    @Test
    void sdkRecordCountLineInTheDefaultFormatIsParsedWithItsTags() {
        PluginMetric m = MetricLine.parse("tap-x", "2024-05-01 10:00:00,123 | INFO     | singer_sdk.metrics | METRIC: "
                + "{\"type\": \"counter\", \"metric\": \"record_count\", \"value\": 120, \"tags\": "
                + "{\"stream\": \"users\", \"context\": {\"id\": 1}, \"pid\": null}}").orElseThrow();
        assertThat(m.plugin()).isEqualTo("tap-x");
        assertThat(m.type()).isEqualTo("counter");
        assertThat(m.metric()).isEqualTo("record_count");
        assertThat(m.value()).isEqualTo(120.0);
        assertThat(m.stream()).contains("users");
        assertThat(m.tags()).containsEntry("context", "{\"id\":1}").doesNotContainKey("pid");
    }

    @Test
    void plainInfoMetricLineAndTimerAreParsed() {
        PluginMetric m = MetricLine.parse("t", "INFO METRIC: {\"type\": \"timer\", \"metric\": \"sync_duration\", "
                + "\"value\": 0.53, \"tags\": {\"stream\": \"orders\", \"status\": \"succeeded\"}}").orElseThrow();
        assertThat(m.type()).isEqualTo("timer");
        assertThat(m.value()).isEqualTo(0.53);
    }

    @Test
    void otherLinesAndBrokenMetricsAreNotMetrics() {
        assertThat(MetricLine.parse("t", "INFO Beginning sync of 'users'")).isEmpty();
        assertThat(MetricLine.parse("t", "INFO METRIC: {not json")).isEmpty();
        assertThat(MetricLine.parse("t", "INFO METRIC: {\"type\": \"counter\"}")).isEmpty();
    }
}
