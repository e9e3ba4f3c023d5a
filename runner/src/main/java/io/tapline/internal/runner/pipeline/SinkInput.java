package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tapline.internal.protocol.arrow.RawInput;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.spi.RecordHandling;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What every source writes its messages to: the {@link Sink}, with each record first checked against its
 * stream's JSON Schema when the sink or the run asks for validation. The one place validation is applied,
 * for Singer and Airbyte sources into tapline targets and external chains alike.
 */
final class SinkInput {
    /** Exact numbers in record trees (validation): 1.50 stays 1.50. */
    static final ObjectMapper TREES = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final Sink sink;
    private final RecordValidator validator; // null: validation off

    /** {@code atLeast}: the run's own validation; the stricter of it and the sink's applies. */
    SinkInput(Sink sink, RecordHandling.Validation atLeast) {
        this.sink = sink;
        RecordHandling.Validation own = sink.recordHandling().validation();
        RecordHandling.Validation mode = own.compareTo(atLeast) >= 0 ? own : atLeast;
        this.validator = RecordValidator.forMode(mode, TREES).orElse(null);
    }

    void schema(SchemaMessage message, long lineNumber) {
        if (validator != null) {
            validator.schema(message, lineNumber);
        }
        sink.schema(message, lineNumber);
    }

    /** One record; false if its stream has no schema. */
    boolean record(StreamName stream, JsonParser record, long lineNumber, RawInput raw) throws IOException {
        if (validator == null) {
            return sink.append(stream, record, lineNumber, raw);
        }
        JsonNode tree = validator.check(stream, record, lineNumber);
        if (tree == null) {
            return true; // warn-skip: logged and counted, not loaded
        }
        try (JsonParser p = tree.traverse(TREES)) {
            p.nextToken();
            return sink.append(stream, p, lineNumber, null);
        }
    }

    void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted) {
        sink.recordEnd(stream, version, timeExtracted);
    }

    void activateVersion(StreamName stream, long version) {
        sink.activateVersion(stream, version);
    }

    void state(StateBlob state) {
        sink.state(state);
    }
}
