package io.tapline.internal.runner.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.event.Level;

class PluginLogLevelTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ERROR:root:connection refused                                   | ERROR",
            "CRITICAL Stream users failed                                    | ERROR",
            "2024-05-01 10:00:00,123 WARNING rate limited                     | WARN",
            "2024-05-01T10:00:00 - tap-x - DEBUG - page 2                     | DEBUG",
            "time=2024-05-01 level=warning msg=slow                          | WARN",
            "level=error msg=boom                                            | ERROR",
            "'{\"level\": \"error\", \"message\": \"x\"}'                    | ERROR",
            "'{\"levelname\": \"WARNING\", \"message\": \"x\"}'              | WARN",
            "'{\"type\":\"LOG\",\"log\":{\"level\":\"DEBUG\",\"message\":\"x\"}}' | DEBUG",
            "'{\"type\":\"TRACE\",\"trace\":{\"type\":\"ERROR\",\"error\":{}}}'   | ERROR",
            "Syncing stream users                                            | INFO",
            "Stream users: page 3 of 9 fetched, 200 rows; no ERROR so far                 | INFO",
    })
    void aStderrLineIsLoggedAtTheLevelThePluginGaveIt(String line, String level) {
        assertThat(PluginLogLevel.of(line)).isEqualTo(Level.valueOf(level));
    }
}
