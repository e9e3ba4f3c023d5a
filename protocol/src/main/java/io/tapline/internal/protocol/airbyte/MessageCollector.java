package io.tapline.internal.protocol.airbyte;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.StreamName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Keeps every message, RECORDs as trees, for {@link AirbyteLineParser#readAll}; non-protocol lines are logged. */
final class MessageCollector implements AirbyteLineParser.Handler {
    private final ObjectMapper mapper;
    private final List<AirbyteMessage> messages = new ArrayList<>();

    MessageCollector(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    List<AirbyteMessage> messages() { return messages; }

    /** Reads the data through {@link AirbyteLineParser.WholeLineParser}: a cut line must fail, not loop (fuzzing found it). */
    @Override
    public void record(StreamName stream, Optional<String> namespace, JsonParser data, long lineNumber)
            throws IOException {
        messages.add(new AirbyteRecordMessage(stream, namespace, mapper.readTree(new AirbyteLineParser.WholeLineParser(data)), OptionalLong.empty()));
    }

    @Override
    public void state(AirbyteStateMessage message, long lineNumber) { messages.add(message); }

    @Override
    public void trace(AirbyteTraceMessage message, long lineNumber) { messages.add(message); }

    @Override
    public void log(AirbyteLogMessage message, long lineNumber) { messages.add(message); }

    @Override
    public void catalog(AirbyteCatalogMessage message, long lineNumber) { messages.add(message); }

    @Override
    public void spec(AirbyteSpecMessage message, long lineNumber) { messages.add(message); }

    @Override
    public void connectionStatus(AirbyteConnectionStatusMessage message, long lineNumber) { messages.add(message); }

    @Override
    public void control(AirbyteControlMessage message, long lineNumber) { messages.add(message); }
}
