package io.tapline.internal.protocol.singer;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.StreamName;

public record ActivateVersionMessage(StreamName stream, long version) implements SingerMessage {
    public ActivateVersionMessage {
        requireNonNull(stream, "stream is null");
    }
}
