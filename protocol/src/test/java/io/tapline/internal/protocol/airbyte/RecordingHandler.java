package io.tapline.internal.protocol.airbyte;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tapline.spi.StreamName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A handler that keeps everything it is given, with line numbers; records become trees. */
class RecordingHandler implements AirbyteLineParser.Handler {
    /** Exact numbers, as the Arrow path reads them: 1.50 stays 1.50. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    record Received(Object message, long line) {}

    record Record(StreamName stream, Optional<String> namespace, JsonNode data) {}

    record NonProtocol(long line, String text) {}

    final List<Received> received = new ArrayList<>();
    final List<NonProtocol> nonProtocol = new ArrayList<>();

    @Override
    public void record(StreamName stream, Optional<String> namespace, JsonParser data, long lineNumber)
            throws IOException {
        received.add(new Received(new Record(stream, namespace, MAPPER.readTree(data)), lineNumber));
    }

    @Override
    public void state(AirbyteStateMessage message, long lineNumber) { received.add(new Received(message, lineNumber)); }

    @Override
    public void trace(AirbyteTraceMessage message, long lineNumber) { received.add(new Received(message, lineNumber)); }

    @Override
    public void log(AirbyteLogMessage message, long lineNumber) { received.add(new Received(message, lineNumber)); }

    @Override
    public void catalog(AirbyteCatalogMessage message, long lineNumber) { received.add(new Received(message, lineNumber)); }

    @Override
    public void spec(AirbyteSpecMessage message, long lineNumber) { received.add(new Received(message, lineNumber)); }

    @Override
    public void connectionStatus(AirbyteConnectionStatusMessage message, long lineNumber) {
        received.add(new Received(message, lineNumber));
    }

    @Override
    public void control(AirbyteControlMessage message, long lineNumber) { received.add(new Received(message, lineNumber)); }

    @Override
    public void nonProtocolLine(long lineNumber, String text) { nonProtocol.add(new NonProtocol(lineNumber, text)); }

    List<Object> messages() { return received.stream().map(Received::message).toList(); }

    List<Long> lines() { return received.stream().map(Received::line).toList(); }

    <T> List<T> messages(Class<T> type) {
        return received.stream().map(Received::message).filter(type::isInstance).map(type::cast).toList();
    }

    <T> T only(Class<T> type) {
        List<T> all = messages(type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", got " + messages());
        }
        return all.get(0);
    }
}
