package io.tapline.internal.targets.testing;

import com.fasterxml.jackson.core.JsonParser;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.arrow.BatchBuilder;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.spi.StreamSchema;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.internal.protocol.singer.StateMessage;
import io.tapline.spi.Target;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Feeds Singer lines to a {@link Target} the way the pipeline does: a SCHEMA becomes
 * {@code open(StreamSchema)}, RECORDs go token by token into one {@link BatchBuilder} per stream, and a
 * full builder (or {@link #endBatches()}) becomes one {@code write}. Closing frees the builders.
 */
public final class SingerFeed implements SingerLineParser.Handler, AutoCloseable {
    private final Target target;
    private final BufferAllocator allocator;
    private final int batchRows;
    private final SingerLineParser parser = new SingerLineParser();
    private final Map<StreamName, BatchBuilder> builders = new LinkedHashMap<>();
    private final Map<StreamName, StreamSchema> schemas = new HashMap<>();
    private long batchesWritten;
    private long rowsWritten;

    public SingerFeed(Target target, BufferAllocator allocator, int batchRows) {
        this.target = target;
        this.allocator = allocator;
        this.batchRows = batchRows;
    }

    /** Parses the lines; full batches are written, the rest stays buffered until {@link #endBatches()}. */
    public SingerFeed lines(String... lines) {
        return input(new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    public SingerFeed file(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return input(in);
        }
    }

    public SingerFeed input(InputStream in) {
        parser.parse(in, this);
        return this;
    }

    /** Writes every stream's partly filled batch, so the next record starts a new batch. */
    public SingerFeed endBatches() {
        builders.values().forEach(this::writeOut);
        return this;
    }

    public StreamSchema schema(String stream) {
        return schemas.get(StreamName.of(stream));
    }

    public long batchesWritten() { return batchesWritten; }

    public long rowsWritten() { return rowsWritten; }

    @Override
    public void schema(SchemaMessage message, long lineNumber) {
        StreamSchema schema = JsonSchemaToArrow.convert(message, lineNumber);
        BatchBuilder previous = builders.remove(message.stream());
        if (previous != null) {
            writeOut(previous); // records under the old schema go before the new one
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
        if (builder.rowCount() == 0) {
            return;
        }
        int rows = builder.rowCount();
        target.write(builder.schema(), builder.root());
        builder.clear();
        batchesWritten++;
        rowsWritten += rows;
    }

    @Override
    public void close() {
        builders.values().forEach(BatchBuilder::close);
        builders.clear();
    }

    /** Singer lines generated on demand, so a million records never sit in memory as one string. */
    public static InputStream generated(long count, LongFunction<String> line) {
        return new InputStream() {
            private long next;
            private byte[] current = new byte[0];
            private int pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                int n = 0;
                while (n < len) {
                    if (pos == current.length) {
                        if (next == count) {
                            break;
                        }
                        current = (line.apply(next++) + "\n").getBytes(StandardCharsets.UTF_8);
                        pos = 0;
                    }
                    int k = Math.min(len - n, current.length - pos);
                    System.arraycopy(current, pos, b, off + n, k);
                    pos += k;
                    n += k;
                }
                return n == 0 ? -1 : n;
            }
        };
    }

    /** A RECORD line for {@code stream} with {@code json} as its record. */
    public static String record(String stream, String json) {
        return "{\"type\":\"RECORD\",\"stream\":\"" + stream + "\",\"record\":" + json + "}";
    }
}
