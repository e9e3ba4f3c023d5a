package io.tapline.internal.runner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {
    private final LoggerContext context = new LoggerContext();

    private JsonNode encode(String logger, String message, Throwable t, Object... args) throws Exception {
        JsonLogEncoder encoder = new JsonLogEncoder();
        encoder.setContext(context);
        encoder.start();
        LoggingEvent event = new LoggingEvent("x", context.getLogger(logger), Level.WARN, message, t, args);
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        assertThat(line.strip()).doesNotContain("\n");
        return new ObjectMapper().readTree(line);
    }

    @Test
    void pluginStderrLineCarriesThePluginNameAndTheFormattedMessage() throws Exception {
        JsonNode e = encode("tapline.plugin.tap-github", "rate limited: \"{}\"", null, "retry in 5s");
        assertThat(e.path("level").asText()).isEqualTo("WARN");
        assertThat(e.path("plugin").asText()).isEqualTo("tap-github");
        assertThat(e.path("message").asText()).isEqualTo("rate limited: \"retry in 5s\"");
        assertThat(e.path("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void exceptionIsOneFieldAndOtherLoggersHaveNoPlugin() throws Exception {
        JsonNode e = encode("io.tapline.internal.runner.pipeline.PipelineRun", "boom", new IllegalStateException("bad\nthing"));
        assertThat(e.has("plugin")).isFalse();
        assertThat(e.path("exception").asText()).contains("IllegalStateException: bad\nthing");
    }
}
