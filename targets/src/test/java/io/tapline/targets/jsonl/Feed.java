package io.tapline.targets.jsonl;

import com.fasterxml.jackson.core.JsonParser;
import io.tapline.protocol.StreamName;
import io.tapline.protocol.arrow.BatchBuilder;
import io.tapline.protocol.arrow.JsonSchemaToArrow;
import io.tapline.protocol.arrow.StreamSchema;
import io.tapline.protocol.singer.SchemaMessage;
import io.tapline.protocol.singer.SingerLineParser;
import io.tapline.protocol.singer.StateMessage;
import io.tapline.spi.Target;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Singer lines to a {@link Target} the way the pipeline feeds it: SCHEMA is {@code open}, RECORDs go
 * into one {@link BatchBuilder} per stream, written when {@code batchRows} are full or on
 * {@link #endBatches()}. Closing frees the builders.
 */
final class Feed implements SingerLineParser.Handler, AutoCloseable {
    private final Target target;
    private final BufferAllocator allocator;
    private final int batchRows;
    private final SingerLineParser parser = new SingerLineParser();
    private final Map<StreamName, BatchBuilder> builders = new LinkedHashMap<>();
    private final Map<StreamName, StreamSchema> schemas = new HashMap<>();

    Feed(Target target, BufferAllocator allocator, int batchRows) {
        this.target = target;
        this.allocator = allocator;
        this.batchRows = batchRows;
    }

    Feed lines(String... lines) {
        parser.parse(new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)),
                this);
        return this;
    }

    Feed endBatches() {
        builders.values().forEach(this::writeOut);
        return this;
    }

    StreamSchema schema(String stream) {
        return schemas.get(StreamName.of(stream));
    }

    @Override
    public void schema(SchemaMessage message, long lineNumber) {
        StreamSchema schema = JsonSchemaToArrow.convert(message, lineNumber);
        BatchBuilder previous = builders.remove(message.stream());
        if (previous != null) {
            writeOut(previous);
            previous.close();
        }
        target.open(schema);
        schemas.put(message.stream(), schema);
        builders.put(message.stream(), new BatchBuilder(schema, allocator));
    }

    @Override
    public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
        BatchBuilder builder = builders.get(stream);
        builder.append(record, lineNumber);
        if (builder.rowCount() >= batchRows) {
            writeOut(builder);
        }
    }

    @Override
    public void state(StateMessage message, long lineNumber) {}

    private void writeOut(BatchBuilder builder) {
        if (builder.rowCount() > 0) {
            target.write(builder.schema(), builder.root());
            builder.clear();
        }
    }

    @Override
    public void close() {
        builders.values().forEach(BatchBuilder::close);
        builders.clear();
    }

    static String record(String stream, String json) {
        return "{\"type\":\"RECORD\",\"stream\":\"" + stream + "\",\"record\":" + json + "}";
    }
}
