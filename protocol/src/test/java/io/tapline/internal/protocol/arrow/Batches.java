package io.tapline.internal.protocol.arrow;

import io.tapline.spi.StreamSchema;

import com.fasterxml.jackson.core.JsonParser;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.internal.protocol.singer.StateMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Feeds Singer lines through the real parser into one {@link BatchBuilder} per stream, as the
 * pipeline does: a SCHEMA becomes a builder (an identical repeat keeps the current one), each
 * RECORD is appended token by token. Closing frees every builder; the allocator stays the caller's.
 */
final class Batches implements SingerLineParser.Handler, AutoCloseable {
    private final BufferAllocator allocator;
    private final SingerLineParser parser = new SingerLineParser();
    private final Map<StreamName, BatchBuilder> builders = new LinkedHashMap<>();
    private final Map<String, Long> appended = new LinkedHashMap<>();

    Batches(BufferAllocator allocator) {
        this.allocator = allocator;
    }

    /** Parses the lines (joined with newlines); may be called again to continue the same input. */
    Batches lines(String... lines) {
        return input(new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    Batches file(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return input(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Batches input(InputStream in) {
        parser.parse(in, this);
        return this;
    }

    BatchBuilder builder(String stream) {
        BatchBuilder builder = builders.get(StreamName.of(stream));
        if (builder == null) {
            throw new AssertionError("no SCHEMA for stream " + stream);
        }
        return builder;
    }

    /** The stream's current batch, row count set. */
    VectorSchemaRoot root(String stream) {
        return builder(stream).root();
    }

    Map<StreamName, BatchBuilder> builders() { return builders; }

    /** Records appended per stream since the start, across schema changes and clears. */
    Map<String, Long> appended() { return appended; }

    @Override
    public void schema(SchemaMessage message, long lineNumber) {
        StreamSchema schema = JsonSchemaToArrow.convert(message, lineNumber);
        BatchBuilder current = builders.get(message.stream());
        if (current != null && current.schema().equals(schema)) {
            return;
        }
        BatchBuilder next = new BatchBuilder(schema, allocator);
        if (current != null) {
            current.close();
        }
        builders.put(message.stream(), next);
    }

    @Override
    public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
        builder(stream.value()).append(record, lineNumber);
        appended.merge(stream.value(), 1L, Long::sum);
    }

    @Override
    public void state(StateMessage message, long lineNumber) {}

    @Override
    public void close() {
        builders.values().forEach(BatchBuilder::close);
        builders.clear();
    }
}
