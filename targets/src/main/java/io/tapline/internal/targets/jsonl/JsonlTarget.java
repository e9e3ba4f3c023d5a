package io.tapline.internal.targets.jsonl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.tapline.spi.StreamName;
import io.tapline.spi.TargetException;
import io.tapline.spi.Column;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.Target;
import io.tapline.internal.targets.duckdb.TableNames;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON Lines file per stream, {@code <root>/<table name>.jsonl}, appended to across runs.
 *
 * <p>Each row is one compact JSON object with every column of the stream's schema, in schema order:
 * <ul>
 *   <li>null values are written as {@code null} (an absent property and a null one are the same after
 *       the Arrow batch, so both come out as {@code null});
 *   <li>JSON columns (objects, arrays, untyped values) are embedded as raw JSON, not as strings;
 *   <li>date-times are ISO-8601 UTC instants ({@code 2024-05-01T12:30:00.123456Z}), dates
 *       {@code yyyy-MM-dd}, times {@code HH:mm:ss[.ffffff]};
 *   <li>NaN and infinite numbers are written as the strings {@code "NaN"}, {@code "Infinity"}.
 * </ul>
 *
 * <p>Durability: {@link #flush()} writes out the buffers and fsyncs every file (and the folder for new
 * files). {@link #close()} without a flush truncates each file back to its length at the last flush (or
 * at open), so rows whose state was never committed do not stay behind to be loaded twice by a rerun. A
 * crash can still leave them; opening a file whose last line is incomplete cuts that partial line off.
 * Not thread-safe: the pipeline calls it from one thread.
 */
public final class JsonlTarget implements Target {
    private static final Logger log = LoggerFactory.getLogger(JsonlTarget.class);
    private static final int BUFFER_BYTES = 1 << 16;

    private final JsonlTargetConfig config;
    private final JsonFactory factory = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET) // the channel is closed after truncating
            .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT) // never finish a half-written row
            .build();
    private final Map<StreamName, StreamFile> files = new LinkedHashMap<>();
    private boolean rootNeedsSync;
    private boolean failed;
    private boolean closed;

    private JsonlTarget(JsonlTargetConfig config) {
        this.config = config;
        try {
            Files.createDirectories(config.root());
        } catch (IOException e) {
            throw new TargetException("could not create JSONL root folder " + config.root(), e);
        }
    }

    public static JsonlTarget open(JsonlTargetConfig config) {
        return new JsonlTarget(requireNonNull(config, "config is null"));
    }

    /** A config builder for a root folder. */
    public static JsonlTargetConfig.Builder at(Path root) {
        return JsonlTargetConfig.builder().root(root);
    }

    public JsonlTargetConfig config() { return config; }

    /** The file of {@code stream}. */
    public Path file(StreamName stream) {
        return config.root().resolve(TableNames.forStream(stream) + ".jsonl");
    }

    @Override
    public void open(StreamSchema schema) {
        checkOpen();
        fileFor(schema.stream());
    }

    @Override
    public void write(StreamSchema schema, VectorSchemaRoot batch) {
        checkOpen();
        int rows = batch.getRowCount();
        if (rows == 0) {
            return;
        }
        StreamFile file = fileFor(schema.stream());
        List<Column> columns = schema.columns();
        FieldVector[] vectors = new FieldVector[columns.size()];
        for (int c = 0; c < vectors.length; c++) {
            vectors[c] = batch.getVector(columns.get(c).name());
            if (vectors[c] == null) {
                throw new TargetException("batch of stream " + schema.stream() + " has no column '"
                        + columns.get(c).name() + "'");
            }
        }
        try {
            JsonGenerator g = file.generator;
            for (int row = 0; row < rows; row++) {
                g.writeStartObject();
                for (int c = 0; c < vectors.length; c++) {
                    g.writeFieldName(columns.get(c).name());
                    JsonValues.write(g, columns.get(c).type(), vectors[c], row);
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new TargetException("could not write to " + file.path, e);
        }
    }

    /** Writes out the buffers and fsyncs every stream file; on return all written rows are durable. */
    @Override
    public void flush() {
        checkOpen();
        if (failed) {
            throw new TargetException("the JSONL target failed earlier; nothing more is made durable");
        }
        for (StreamFile file : files.values()) {
            try {
                file.generator.flush();
                file.channel.force(true);
                file.committedLength = file.channel.size();
            } catch (IOException e) {
                throw new TargetException("could not flush " + file.path, e);
            }
        }
        if (rootNeedsSync) {
            try (FileChannel dir = FileChannel.open(config.root(), StandardOpenOption.READ)) {
                dir.force(true);
                rootNeedsSync = false;
            } catch (IOException e) {
                if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                    throw new TargetException("could not fsync folder " + config.root(), e);
                }
            }
        }
    }

    /** Truncates each file back to its length at the last flush and releases the target. Idempotent; {@link #close()} after it does nothing more. */
    @Override
    public void abort() {
        close(); // close() already discards what no flush made durable; abort names that intent
    }

    /** Drops rows written since the last flush and closes the files. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (StreamFile file : files.values()) {
            try {
                file.generator.close(); // writes out buffered bytes first, so the truncate below is final
                if (file.channel.size() > file.committedLength) {
                    file.channel.truncate(file.committedLength);
                    log.debug("Stream file {}: dropped rows written after the last flush", file.path);
                }
                file.channel.close();
            } catch (IOException e) {
                log.warn("Closing {} failed: {}", file.path, e.getMessage());
                try {
                    file.channel.close();
                } catch (IOException ignored) {
                    // already reported
                }
            }
        }
        files.clear();
    }

    private StreamFile fileFor(StreamName stream) {
        StreamFile file = files.get(stream);
        if (file == null) {
            Path path = file(stream);
            try {
                rootNeedsSync |= !Files.exists(path);
                file = new StreamFile(path, factory);
            } catch (IOException e) {
                throw new TargetException("could not open " + path, e);
            }
            files.put(stream, file);
        }
        return file;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("target is closed");
        }
    }

    /** One stream's open file; the channel is positioned at the end. */
    private static final class StreamFile {
        final Path path;
        final FileChannel channel;
        final JsonGenerator generator;
        long committedLength;

        StreamFile(Path path, JsonFactory factory) throws IOException {
            this.path = path;
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            try {
                this.committedLength = cutPartialLastLine(channel, path);
                channel.position(committedLength);
                this.generator = factory.createGenerator(
                        new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES));
                generator.setRootValueSeparator(null);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        /** Truncates a last line without its newline (a crash mid-write) and returns the new length. */
        private static long cutPartialLastLine(FileChannel channel, Path path) throws IOException {
            long size = channel.size();
            long end = size;
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (end > 0) {
                int n = (int) Math.min(buf.capacity(), end);
                buf.clear().limit(n);
                long start = end - n;
                while (buf.hasRemaining()) {
                    if (channel.read(buf, start + buf.position()) < 0) {
                        throw new IOException("unexpected end of " + path);
                    }
                }
                for (int i = n - 1; i >= 0; i--) {
                    if (buf.get(i) == '\n') {
                        long keep = start + i + 1;
                        if (keep < size) {
                            channel.truncate(keep);
                            channel.force(true);
                            log.warn("{}: removed an incomplete last line ({} bytes)", path, size - keep);
                        }
                        return keep;
                    }
                }
                end = start;
            }
            if (size > 0) {
                channel.truncate(0);
                channel.force(true);
                log.warn("{}: removed an incomplete last line ({} bytes)", path, size);
            }
            return 0;
        }
    }
}
