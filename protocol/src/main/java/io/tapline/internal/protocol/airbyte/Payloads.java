package io.tapline.internal.protocol.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.airbyte.AirbyteConnectionStatusMessage.Status;
import io.tapline.internal.protocol.airbyte.AirbyteStateMessage.StateType;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.ErrorTrace;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.EstimateTrace;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.EstimateType;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.OtherTrace;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.StreamStatus;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.StreamStatusTrace;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Turns the small payloads of non-RECORD messages (already trees) into the model. Throws
 * {@link IllegalArgumentException} naming the field, never its value, when a payload the protocol
 * requires is missing or malformed; the parser adds the line.
 */
final class Payloads {
    static final String NO_ERROR_MESSAGE = "the connector reported an error without a message";

    private Payloads() {}

    static AirbyteStateMessage state(JsonNode state, String json) {
        if (!state.isObject()) {
            throw new IllegalArgumentException("STATE \"state\" is not a JSON object");
        }
        JsonNode typeNode = state.get("type");
        StateType type;
        if (typeNode == null || typeNode.isNull()) {
            type = StateType.LEGACY; // "If not set, assume the state object is type LEGACY."
        } else {
            type = switch (typeNode.asText()) {
                case "STREAM" -> StateType.STREAM;
                case "GLOBAL" -> StateType.GLOBAL;
                case "LEGACY" -> StateType.LEGACY;
                default -> throw new IllegalArgumentException("STATE has an unknown \"type\"");
            };
        }
        Optional<StreamDescriptor> stream = Optional.empty();
        switch (type) {
            case STREAM -> stream = Optional.of(descriptor(state.path("stream").path("stream_descriptor"))
                    .orElseThrow(() -> new IllegalArgumentException(
                            "STREAM state has no \"stream.stream_descriptor\" with a \"name\"")));
            case GLOBAL -> {
                if (!state.path("global").isObject()) {
                    throw new IllegalArgumentException("GLOBAL state has no \"global\" object");
                }
            }
            case LEGACY -> {
                if (!state.has("data")) {
                    throw new IllegalArgumentException("LEGACY state has no \"data\"");
                }
            }
        }
        return new AirbyteStateMessage(type, stream, json);
    }

    static AirbyteLogMessage log(JsonNode log) {
        if (!log.isObject()) {
            throw new IllegalArgumentException("LOG \"log\" is not a JSON object");
        }
        return new AirbyteLogMessage(AirbyteLogMessage.Level.parse(log.path("level").asText("INFO")),
                text(log, "message").orElse(""), text(log, "stack_trace"));
    }

    /**
     * The trace, or an {@link OtherTrace} when its type is not modelled or its payload lacks what the
     * model needs (a STREAM_STATUS without a stream, say). An ERROR always stays an error.
     */
    static AirbyteTraceMessage trace(JsonNode trace, Supplier<String> json) {
        if (!trace.isObject()) {
            throw new IllegalArgumentException("TRACE \"trace\" is not a JSON object");
        }
        String type = trace.path("type").asText("");
        switch (type) {
            case "ERROR" -> {
                JsonNode error = trace.path("error");
                return new ErrorTrace(text(error, "message").filter(m -> !m.isBlank()).orElse(NO_ERROR_MESSAGE),
                        text(error, "internal_message"), text(error, "failure_type"), text(error, "stack_trace"),
                        descriptor(error.path("stream_descriptor")));
            }
            case "STREAM_STATUS" -> {
                JsonNode status = trace.path("stream_status");
                Optional<StreamDescriptor> stream = descriptor(status.path("stream_descriptor"));
                Optional<StreamStatus> value = enumValue(StreamStatus.class, status.path("status").asText(""));
                if (stream.isPresent() && value.isPresent()) {
                    return new StreamStatusTrace(stream.get(), value.get());
                }
            }
            case "ESTIMATE" -> {
                JsonNode estimate = trace.path("estimate");
                Optional<EstimateType> estimateType = enumValue(EstimateType.class, estimate.path("type").asText(""));
                Optional<String> name = text(estimate, "name").filter(n -> !n.isEmpty());
                if (estimateType.isPresent() && (estimateType.get() == EstimateType.SYNC || name.isPresent())) {
                    Optional<StreamDescriptor> stream = name.map(n -> new StreamDescriptor(StreamName.of(n),
                            text(estimate, "namespace")));
                    return new EstimateTrace(estimateType.get(), stream, longValue(estimate, "row_estimate"),
                            longValue(estimate, "byte_estimate"));
                }
            }
            default -> { }
        }
        return new OtherTrace(type, json.get());
    }

    static AirbyteConnectionStatusMessage connectionStatus(JsonNode status) {
        Optional<Status> value = enumValue(Status.class, status.path("status").asText(""));
        if (value.isEmpty()) {
            throw new IllegalArgumentException("CONNECTION_STATUS has no \"status\" SUCCEEDED or FAILED");
        }
        return new AirbyteConnectionStatusMessage(value.get(), text(status, "message"));
    }

    /** The CONNECTOR_CONFIG update, or empty for another control type. */
    static Optional<AirbyteControlMessage> control(JsonNode control) {
        if (!control.path("type").asText("").equals("CONNECTOR_CONFIG")) {
            return Optional.empty();
        }
        JsonNode config = control.path("connectorConfig").path("config");
        if (!config.isObject()) {
            throw new IllegalArgumentException("CONTROL CONNECTOR_CONFIG has no \"connectorConfig.config\" object");
        }
        return Optional.of(new AirbyteControlMessage(config));
    }

    /** A {@code StreamDescriptor} object: {@code name} (required, non-empty) and {@code namespace}. */
    static Optional<StreamDescriptor> descriptor(JsonNode node) {
        Optional<String> name = text(node, "name").filter(n -> !n.isEmpty());
        return name.map(n -> new StreamDescriptor(StreamName.of(n), text(node, "namespace")));
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    private static OptionalLong longValue(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() && value.canConvertToLong()
                ? OptionalLong.of(value.asLong()) : OptionalLong.empty();
    }

    private static <E extends Enum<E>> Optional<E> enumValue(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
