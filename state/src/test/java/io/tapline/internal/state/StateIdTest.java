package io.tapline.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.ConfigException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** State id cases ID1-ID4, ID12, ID13 and the {@code meltano el} rule (testdata/meltano/CASES.md 3.1). */
class StateIdTest {
    @Test
    void environmentAndBlocksMakeTheId() { // ID1
        assertThat(StateId.generate(Optional.of("test"), "block1", "block2", Optional.empty()))
                .isEqualTo("test:block1-to-block2");
    }

    @Test
    void suffixIsAppended() { // ID2
        assertThat(StateId.generate(Optional.of("test"), "block1", "block2", Optional.of("suffix")))
                .isEqualTo("test:block1-to-block2:suffix");
    }

    @Test
    void noEnvironmentIsAnError() { // ID3
        assertThatThrownBy(() -> StateId.generate(Optional.empty(), "block1", "block2", Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("environment");
    }

    @Test
    void colonInAPartIsRefused() { // ID4
        assertThatThrownBy(() -> StateId.generate(Optional.of("test"), "block1", "block2", Optional.of(":")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("':'");
    }

    @Test
    void conventionalIdsParseIntoTheirParts() { // ID12
        assertThat(StateId.parse("dev:tap-mock-to-target-mock"))
                .contains(new StateId("dev", "tap-mock", "target-mock", Optional.empty()));
        assertThat(StateId.parse("dev:tap-mock-to-target-mock:suffix"))
                .contains(new StateId("dev", "tap-mock", "target-mock", Optional.of("suffix")));
        assertThat(StateId.parse("staging:mock-to-mock")).contains(new StateId("staging", "mock", "mock", Optional.empty()));
    }

    @ParameterizedTest // ID13
    @ValueSource(strings = {"unconventional", "dev:tap-and-target", "tap-mock-to-target-mock", "staging:",
        "staging:tap-mock-to-", "dev:-to-target-mock", "dev:tap-to-target:", "dev:tap-to-target:suffix:"})
    void unconventionalIdsDoNotParse(String id) {
        assertThat(StateId.parse(id)).isEmpty();
    }

    @Test
    void elWithoutAStateIdUsesAnEphemeralTimestampedId() { // CASES.md 3.1, src/meltano/cli/elt.py
        assertThat(StateId.ephemeral(Instant.parse("2026-11-23T14:05:09Z"), "tap-x", "target-y"))
                .isEqualTo("2026-11-23T140509--tap-x--target-y");
    }
}
