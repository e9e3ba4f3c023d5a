package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A TRACE message: an error that ends the sync, a stream's status, a size estimate, or a kind this
 * model does not name (kept as JSON).
 */
public sealed interface AirbyteTraceMessage extends AirbyteMessage {

    /**
     * {@code type: ERROR}: the connector failed. {@code message} is meant for users, {@code internalMessage}
     * and {@code stackTrace} for whoever debugs the connector.
     *
     * @param failureType {@code system_error}, {@code config_error}, {@code transient_error} or a newer value
     * @param stream the stream the error concerns, when the connector says
     */
    record ErrorTrace(String message, Optional<String> internalMessage, Optional<String> failureType,
            Optional<String> stackTrace, Optional<StreamDescriptor> stream) implements AirbyteTraceMessage {
        public ErrorTrace {
            requireNonNull(message, "message is null");
            requireNonNull(internalMessage, "internalMessage is null");
            requireNonNull(failureType, "failureType is null");
            requireNonNull(stackTrace, "stackTrace is null");
            requireNonNull(stream, "stream is null");
        }

        /** The user's config is wrong: running again without changing it will fail again. */
        public boolean isConfigError() { return failureType.filter("config_error"::equals).isPresent(); }

        /** The connector says running again may succeed. */
        public boolean isTransient() { return failureType.filter("transient_error"::equals).isPresent(); }
    }

    /** {@code type: STREAM_STATUS}: a stream started, is running, completed or stopped early. */
    record StreamStatusTrace(StreamDescriptor stream, StreamStatus status) implements AirbyteTraceMessage {
        public StreamStatusTrace {
            requireNonNull(stream, "stream is null");
            requireNonNull(status, "status is null");
        }
    }

    /** The protocol's stream statuses. */
    enum StreamStatus { STARTED, RUNNING, COMPLETE, INCOMPLETE }

    /**
     * {@code type: ESTIMATE}: how much a stream ({@code STREAM}, with {@code stream}) or the whole sync
     * ({@code SYNC}) will emit.
     */
    record EstimateTrace(EstimateType type, Optional<StreamDescriptor> stream, OptionalLong rowEstimate,
            OptionalLong byteEstimate) implements AirbyteTraceMessage {
        public EstimateTrace {
            requireNonNull(type, "type is null");
            requireNonNull(stream, "stream is null");
            requireNonNull(rowEstimate, "rowEstimate is null");
            requireNonNull(byteEstimate, "byteEstimate is null");
        }
    }

    enum EstimateType { STREAM, SYNC }

    /**
     * Any other trace ({@code ANALYTICS}, newer types) or one whose payload this model cannot read: its
     * {@code type} and the {@code trace} object's text.
     */
    record OtherTrace(String type, String json) implements AirbyteTraceMessage {
        public OtherTrace {
            requireNonNull(type, "type is null");
            requireNonNull(json, "json is null");
        }
    }
}
