package io.tapline.internal.protocol.singer;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.StateBlob;

public record StateMessage(StateBlob value) implements SingerMessage {
    public StateMessage {
        requireNonNull(value, "value is null");
    }
}
