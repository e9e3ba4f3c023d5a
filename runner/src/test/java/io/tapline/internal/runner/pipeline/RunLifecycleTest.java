package io.tapline.internal.runner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RunLifecycleTest {
    @Test
    void errorMessagesLoseTheValuesOfSecretLookingSettingsAtAnyDepth() throws Exception {
        var config = new ObjectMapper().readTree("{\"host\": \"db.example\", \"password\": \"pw-123\", "
                + "\"ssh\": {\"private_key\": \"-----KEY-----\"}, \"api\": {\"credentials\": [\"tok-abc\", \"tok-abcdef\"]}}");
        String redacted = RunLifecycle.redact("connect db.example with pw-123 / tok-abcdef / tok-abc / -----KEY----- failed",
                config);
        assertThat(redacted).isEqualTo("connect db.example with **** / **** / **** / **** failed");
    }
}
