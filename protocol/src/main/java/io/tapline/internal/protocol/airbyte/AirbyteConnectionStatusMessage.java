package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** A CONNECTION_STATUS message, the answer to {@code check}. */
public record AirbyteConnectionStatusMessage(Status status, Optional<String> message) implements AirbyteMessage {
    public AirbyteConnectionStatusMessage {
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
    }

    public enum Status { SUCCEEDED, FAILED }
}
