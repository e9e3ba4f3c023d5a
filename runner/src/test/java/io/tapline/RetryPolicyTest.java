package io.tapline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void delaysDoubleFromTheInitialDelayUpToTheMaximum() {
        RetryPolicy p = RetryPolicy.exponential(6, Duration.ofSeconds(10), Duration.ofSeconds(60));
        assertThat(p.delayBefore(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(p.delayBefore(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(p.delayBefore(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(p.delayBefore(4)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.delayBefore(60)).isEqualTo(Duration.ofSeconds(60)); // no overflow
    }

    @Test
    void retriesAreOffByDefault() {
        assertThat(PipelineOptions.defaults().retry().enabled()).isFalse();
        assertThat(PipelineOptions.defaults().retry().maxAttempts()).isEqualTo(1);
    }

    @Test
    void invalidPoliciesAreRejected() {
        assertThatThrownBy(() -> RetryPolicy.exponential(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.exponential(2, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(2, Duration.ZERO, Duration.ZERO, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
