package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A STATE message, kept as the connector wrote it: {@code json} is the {@code state} object's exact
 * text, unknown fields and number spellings included, and is what goes back to the connector.
 *
 * @param type {@link StateType#LEGACY} when the message has no {@code type}, as the protocol says
 * @param stream the {@code stream.stream_descriptor} of a {@link StateType#STREAM} state; empty otherwise
 * @param json the {@code state} object's text
 */
public record AirbyteStateMessage(StateType type, Optional<StreamDescriptor> stream, String json)
        implements AirbyteMessage {
    public AirbyteStateMessage {
        requireNonNull(type, "type is null");
        requireNonNull(stream, "stream is null");
        requireNonNull(json, "json is null");
        if ((type == StateType.STREAM) != stream.isPresent()) {
            throw new IllegalArgumentException("a stream descriptor goes with STREAM state, and only with it");
        }
    }

    /** The protocol's state types. */
    public enum StateType {
        /** One stream's state, keyed by its descriptor. */
        STREAM,
        /** One state shared by all streams (CDC), with per-stream parts inside. */
        GLOBAL,
        /** The pre-2022 single blob in {@code data}. */
        LEGACY
    }
}
