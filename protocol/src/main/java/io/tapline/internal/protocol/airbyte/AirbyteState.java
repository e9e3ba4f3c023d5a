package io.tapline.internal.protocol.airbyte;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateStoreException;
import io.tapline.internal.protocol.airbyte.AirbyteStateMessage.StateType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector's state as the Airbyte platform keeps it, built from the STATE messages of a run on top
 * of the state the run started from. STREAM states are kept per stream (name and namespace), the last
 * one winning; a GLOBAL state replaces the global one; a LEGACY state replaces the legacy blob. Every
 * message is kept as the connector wrote it, unknown fields included.
 *
 * <p>As on the platform, a state holds one type. A run that emits another type than the one it
 * started from replaces the old state (a connector moving off LEGACY state, or switched to CDC); a run
 * that mixes types is a protocol error.
 *
 * <p>{@link #toBlob()} is the JSON array of state messages that {@code read --state} takes. Not
 * thread-safe.
 */
public final class AirbyteState {
    private static final Logger log = LoggerFactory.getLogger(AirbyteState.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private final Map<StreamDescriptor, AirbyteStateMessage> streams = new LinkedHashMap<>();
    private Optional<AirbyteStateMessage> global = Optional.empty();
    private Optional<AirbyteStateMessage> legacy = Optional.empty();
    private Optional<StateType> runType = Optional.empty(); // the type this run's connector emits

    /** An empty state: the first run of a connector. */
    public AirbyteState() {}

    /**
     * The state a previous run ended with: the array {@link #toBlob()} wrote, or a bare JSON object,
     * which is a LEGACY state's {@code data} (how the platform stores LEGACY state).
     *
     * @throws StateStoreException if the blob is neither, or mixes state types
     */
    public static AirbyteState restore(StateBlob saved) {
        AirbyteState state = new AirbyteState();
        String json = saved.json();
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return state;
            }
            if (t == JsonToken.START_OBJECT) {
                MAPPER.readTree(p);
                if (p.nextToken() != null) {
                    throw new StateStoreException("saved Airbyte state holds more than one JSON value");
                }
                String data = json.strip();
                state.put(new AirbyteStateMessage(StateType.LEGACY, Optional.empty(),
                        "{\"type\":\"LEGACY\",\"data\":" + data + "}"));
                return state;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new StateStoreException("saved Airbyte state is neither an array of state messages nor an object");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                JsonNode node = MAPPER.readTree(p);
                int end = (int) p.currentLocation().getCharOffset();
                AirbyteStateMessage message = Payloads.state(node, json.substring(start, end));
                if (state.type().filter(type -> type != message.type()).isPresent()) {
                    throw new StateStoreException("saved Airbyte state mixes " + state.type().get() + " and "
                            + message.type() + " state messages");
                }
                state.put(message);
            }
            if (p.currentToken() != JsonToken.END_ARRAY || p.nextToken() != null) {
                throw new StateStoreException("saved Airbyte state array holds something other than state messages");
            }
            return state;
        } catch (IllegalArgumentException e) {
            throw new StateStoreException("saved Airbyte state holds an invalid message: " + e.getMessage());
        } catch (IOException e) {
            throw new StateStoreException("saved Airbyte state is not valid JSON", e);
        }
    }

    /**
     * Folds in a STATE message the connector emitted on {@code lineNumber}.
     *
     * @throws ProtocolException {@link ErrorCode#INVALID_MESSAGE} when this run already emitted another type
     */
    public void accept(AirbyteStateMessage message, long lineNumber) {
        StateType type = message.type();
        if (runType.isEmpty()) {
            Optional<StateType> held = type();
            if (held.isPresent() && held.get() != type) {
                log.info("The connector emits {} state where the saved state is {}: the saved state is replaced",
                        type, held.get());
                streams.clear();
                global = Optional.empty();
                legacy = Optional.empty();
            }
            runType = Optional.of(type);
        } else if (runType.get() != type) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, message.stream().map(StreamDescriptor::name),
                    lineNumber, "STATE of type " + type + " after STATE of type " + runType.get()
                            + " in the same run; a connector keeps to one state type");
        }
        put(message);
    }

    private void put(AirbyteStateMessage message) {
        switch (message.type()) {
            case STREAM -> streams.put(message.stream().orElseThrow(), message);
            case GLOBAL -> global = Optional.of(message);
            case LEGACY -> legacy = Optional.of(message);
        }
    }

    /** The type of the state held, if any. */
    public Optional<StateType> type() {
        if (!streams.isEmpty()) {
            return Optional.of(StateType.STREAM);
        }
        if (global.isPresent()) {
            return Optional.of(StateType.GLOBAL);
        }
        return legacy.map(AirbyteStateMessage::type);
    }

    public boolean isEmpty() { return type().isEmpty(); }

    /** The latest state of one stream, for STREAM state. */
    public Optional<AirbyteStateMessage> stream(StreamDescriptor stream) {
        return Optional.ofNullable(streams.get(stream));
    }

    /** The messages held: the stream states in the order their streams first appeared, or the one global or legacy state. */
    public List<AirbyteStateMessage> messages() {
        List<AirbyteStateMessage> out = new ArrayList<>(streams.values());
        global.ifPresent(out::add);
        legacy.ifPresent(out::add);
        return List.copyOf(out);
    }

    /** The JSON array of state messages for {@code read --state}; {@code []} when empty. */
    public StateBlob toBlob() {
        StringBuilder out = new StringBuilder("[");
        for (AirbyteStateMessage message : messages()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(message.json());
        }
        return new StateBlob(out.append(']').toString());
    }

    @Override
    public String toString() {
        return "AirbyteState[" + type().map(Enum::name).orElse("empty")
                + (streams.isEmpty() ? "" : ", streams=" + streams.keySet()) + "]";
    }
}
