package io.tapline.internal.protocol.arrow;

import io.tapline.spi.StreamSchema;
import io.tapline.spi.Column;
import io.tapline.spi.ColumnType;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StreamName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.DateTimeException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes RECORD payloads token by token into one stream's Arrow vectors (no tree, no per-record
 * objects). Field lookup is resolved once per schema; strings are encoded from the parser's char
 * buffer. Values that break the column type fail with the stream, line and field, never the value.
 *
 * <p>Owns its {@link VectorSchemaRoot}: {@link #root()} lends the filled batch, {@link #clear()}
 * starts the next one on fresh buffers (a consumer may have transferred the old ones away).
 * Not thread-safe.
 */
public final class BatchBuilder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchBuilder.class);

    private final StreamSchema schema;
    private final VectorSchemaRoot root;
    private final Map<String, ColumnWriter> writers = new HashMap<>();
    private final String[] seenNames;
    private final ColumnWriter[] seenWriters;
    private final FieldVector[] keyVectors;
    private final Set<String> unknownFieldsSeen = new HashSet<>();
    private final ExposedBytes jsonBytes = new ExposedBytes();
    private final JsonGenerator jsonGenerator; // one for all JSON values: a generator per value cost ~9%
    private byte[] utf8 = new byte[256];
    private int rows;
    private long varBytes;
    private long line;
    private String field;
    private RawInput raw;

    public BatchBuilder(StreamSchema schema, BufferAllocator allocator) {
        this.schema = schema;
        this.root = VectorSchemaRoot.create(schema.arrowSchema(), allocator);
        List<Column> columns = schema.columns();
        for (int i = 0; i < columns.size(); i++) {
            FieldVector v = root.getVector(i);
            ColumnWriter w = writerFor(columns.get(i).type(), v);
            List<String> path = columns.get(i).path();
            if (path.size() == 1) {
                writers.put(path.get(0), w);
            } else {
                Map<String, ColumnWriter> level = writers;
                for (String step : path.subList(0, path.size() - 1)) {
                    level = ((ObjectWriter) level.computeIfAbsent(step, k -> new ObjectWriter())).children;
                }
                level.put(path.get(path.size() - 1), w);
            }
        }
        this.keyVectors = schema.keyProperties().stream().map(root::getVector).toArray(FieldVector[]::new);
        this.seenNames = new String[columns.size() + 8];
        this.seenWriters = new ColumnWriter[columns.size() + 8];
        try {
            this.jsonGenerator = new JsonFactoryBuilder()
                    .rootValueSeparator((String) null)
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .build()
                    .createGenerator(jsonBytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in-memory stream: cannot happen
        }
        root.allocateNew();
    }

    public StreamSchema schema() { return schema; }

    /** The vector of column {@code name} in the current batch, for values that do not come from the record. */
    public FieldVector vector(String name) { return root.getVector(name); }

    /** Rows in the current batch. */
    public int rowCount() { return rows; }

    /** Approximate bytes held by the current batch, for flush-by-size. */
    public long bufferedBytes() { return varBytes + (long) rows * 8 * writers.size(); }

    /** Appends one record; {@code p} is on its START_OBJECT and is left on the matching END_OBJECT. */
    public void append(JsonParser p, long lineNumber) throws IOException {
        append(p, lineNumber, null);
    }

    /**
     * As {@link #append(JsonParser, long)}; nested objects and arrays in JSON columns are copied
     * verbatim from {@code raw} (the bytes {@code p} reads) when it is not null.
     */
    public void append(JsonParser p, long lineNumber, RawInput raw) throws IOException {
        this.line = lineNumber;
        this.raw = raw;
        int row = rows;
        String name;
        int position = 0;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            ColumnWriter w = lookup(name, position++);
            if (w == null) {
                skipUnknown(name, p);
                continue;
            }
            if (t == JsonToken.VALUE_NULL) {
                continue; // fresh vectors are all-null
            }
            field = name;
            w.write(p, t, row);
        }
        for (FieldVector key : keyVectors) {
            if (row >= key.getValueCapacity() || key.isNull(row)) { // never set: maybe not even allocated yet
                throw new ProtocolException(ErrorCode.RECORD_MISSING_KEY, Optional.of(schema.stream()), line,
                        "record of stream '" + schema.stream() + "' is missing key property '"
                                + key.getField().getName() + "' (or it is null)");
            }
        }
        rows = row + 1;
    }

    /**
     * The writer for field {@code name}, the {@code position}-th field of the record. Taps write the
     * fields of a stream in the same order, and Jackson interns field names, so one identity check
     * against the name last seen at that position usually replaces the hash lookup.
     */
    private ColumnWriter lookup(String name, int position) {
        if (position < seenNames.length && seenNames[position] == name) {
            return seenWriters[position];
        }
        ColumnWriter w = writers.get(name);
        if (position < seenNames.length) {
            seenNames[position] = name;
            seenWriters[position] = w;
        }
        return w;
    }

    /** The filled batch, row count set. Lent to the caller until {@link #clear()}. */
    public VectorSchemaRoot root() {
        root.setRowCount(rows);
        return root;
    }

    /** Starts a new, empty batch. */
    public void clear() {
        root.allocateNew();
        root.setRowCount(0);
        rows = 0;
        varBytes = 0;
    }

    @Override
    public void close() {
        root.close();
    }

    private void skipUnknown(String name, JsonParser p) throws IOException {
        p.skipChildren();
        if (unknownFieldsSeen.add(name)) {
            log.warn("Stream '{}': property '{}' is not in the stream's schema; its values are dropped",
                    schema.stream(), name);
        }
    }

    private ProtocolException mismatch(String expected, JsonToken found) {
        return new ProtocolException(ErrorCode.RECORD_BREAKS_SCHEMA, Optional.of(schema.stream()), line,
                "stream '" + schema.stream() + "' field '" + field + "': expected " + expected + ", found "
                        + describe(found));
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> t.name();
        };
    }

    private StreamName stream() { return schema.stream(); }

    private ColumnWriter writerFor(ColumnType type, FieldVector v) {
        return switch (type) {
            case BIGINT -> new BigIntWriter((BigIntVector) v);
            case DOUBLE -> new DoubleWriter((Float8Vector) v);
            case BOOLEAN -> new BooleanWriter((BitVector) v);
            case VARCHAR -> new StringWriter((VarCharVector) v);
            case TIMESTAMPTZ -> new TimestampWriter((TimeStampMicroTZVector) v);
            case DATE -> new DateWriter((DateDayVector) v);
            case TIME -> new TimeWriter((TimeMicroVector) v);
            case JSON -> new JsonWriter((VarCharVector) v);
        };
    }

    private interface ColumnWriter {
        void write(JsonParser p, JsonToken t, int row) throws IOException;
    }

    private final class BigIntWriter implements ColumnWriter {
        private final BigIntVector v;

        BigIntWriter(BigIntVector v) { this.v = v; }

        @Override
        public void write(JsonParser p, JsonToken t, int row) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new ProtocolException(ErrorCode.RECORD_BREAKS_SCHEMA, Optional.of(stream()), line,
                            "stream '" + stream() + "' field '" + field + "': integer does not fit in 64 bits");
                }
                v.setSafe(row, p.getLongValue());
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (d != Math.rint(d) || Math.abs(d) >= 0x1p63) {
                    throw mismatch("an integer", t);
                }
                v.setSafe(row, (long) d);
            } else {
                throw mismatch("an integer", t);
            }
        }
    }

    private final class DoubleWriter implements ColumnWriter {
        private final Float8Vector v;

        DoubleWriter(Float8Vector v) { this.v = v; }

        @Override
        public void write(JsonParser p, JsonToken t, int row) throws IOException {
            if (!t.isNumeric()) {
                throw mismatch("a number", t);
            }
            v.setSafe(row, p.getDoubleValue());
        }
    }

    private final class BooleanWriter implements ColumnWriter {
        private final BitVector v;

        BooleanWriter(BitVector v) { this.v = v; }

        @Override
        public void write(JsonParser p, JsonToken t, int row) {
            if (t == JsonToken.VALUE_TRUE) {
                v.setSafe(row, 1);
            } else if (t == JsonToken.VALUE_FALSE) {
                v.setSafe(row, 0);
            } else {
                throw mismatch("a boolean", t);
            }
        }
    }

    /** Strings, and any other scalar as its JSON text (lossless). */
    private final class StringWriter implements ColumnWriter {
        private final VarCharVector v;

        StringWriter(VarCharVector v) { this.v = v; }

        @Override
        public void write(JsonParser p, JsonToken t, int row) throws IOException {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                throw mismatch("a string", t);
            }
            int n = encodeUtf8(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            v.setSafe(row, utf8, 0, n);
            varBytes += n;
        }
    }

    private final class TimestampWriter implements ColumnWriter {
        private final TimeStampMicroTZVector v;

        TimestampWriter(TimeStampMicroTZVector v) { this.v = v; }

        @Override
        public void write(JsonParser p, JsonToken t, int row) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                throw mismatch("a date-time string", t);
            }
            try {
                v.setSafe(row, Iso8601.timestampMicros(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
            } catch (DateTimeException | ArithmeticException e) {
                throw badFormat("date-time", e);
            }
        }
    }

    private final class DateWriter implements ColumnWriter {
        private final DateDayVector v;

        DateWriter(DateDayVector v) { this.v = v; }

        @Override
        public void write(JsonParser p, JsonToken t, int row) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                throw mismatch("a date string", t);
            }
            try {
                v.setSafe(row, Iso8601.epochDay(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
            } catch (DateTimeException | ArithmeticException e) {
                throw badFormat("date", e);
            }
        }
    }

    private final class TimeWriter implements ColumnWriter {
        private final TimeMicroVector v;

        TimeWriter(TimeMicroVector v) { this.v = v; }

        @Override
        public void write(JsonParser p, JsonToken t, int row) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                throw mismatch("a time string", t);
            }
            try {
                v.setSafe(row, Iso8601.timeOfDayMicros(p.getTextCharacters(), p.getTextOffset(), p.getTextLength()));
            } catch (DateTimeException e) {
                throw badFormat("time", e);
            }
        }
    }

    /** A flattened object: its properties go to the columns named {@code <parent>__<property>}. */
    private final class ObjectWriter implements ColumnWriter {
        private final Map<String, ColumnWriter> children = new HashMap<>();

        @Override
        public void write(JsonParser p, JsonToken t, int row) throws IOException {
            if (t != JsonToken.START_OBJECT) {
                throw mismatch("an object", t);
            }
            String parent = field;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken vt = p.nextToken();
                ColumnWriter w = children.get(name);
                if (w == null) {
                    p.skipChildren();
                    continue;
                }
                if (vt != JsonToken.VALUE_NULL) {
                    field = parent + "." + name;
                    w.write(p, vt, row);
                }
            }
            field = parent;
        }
    }

    /** Any JSON value, re-serialised compactly. */
    private final class JsonWriter implements ColumnWriter {
        private final VarCharVector v;

        JsonWriter(VarCharVector v) { this.v = v; }

        @Override
        public void write(JsonParser p, JsonToken t, int row) throws IOException {
            if (raw != null && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
                long from = p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                long to = p.currentLocation().getByteOffset();
                raw.copy(from, to, v, row);
                varBytes += to - from;
                return;
            }
            jsonBytes.reset();
            jsonGenerator.copyCurrentStructure(p);
            jsonGenerator.flush();
            v.setSafe(row, jsonBytes.buffer(), 0, jsonBytes.size());
            varBytes += jsonBytes.size();
        }
    }

    private ProtocolException badFormat(String format, Exception cause) {
        return new ProtocolException(ErrorCode.RECORD_BREAKS_SCHEMA, Optional.of(schema.stream()), line,
                "stream '" + schema.stream() + "' field '" + field + "': string is not a valid " + format, cause);
    }

    /** UTF-8 of chars[off, off+len) into {@link #utf8}; returns the byte count. */
    private int encodeUtf8(char[] chars, int off, int len) {
        if (utf8.length < len * 3) {
            utf8 = new byte[Math.max(len * 3, utf8.length * 2)];
        }
        byte[] out = utf8;
        int n = 0;
        int end = off + len;
        for (int i = off; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                out[n++] = (byte) c;
            } else if (c < 0x800) {
                out[n++] = (byte) (0xC0 | (c >> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                int cp = Character.toCodePoint(c, chars[++i]);
                out[n++] = (byte) (0xF0 | (cp >> 18));
                out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out[n++] = (byte) '?'; // lone surrogate: not representable in UTF-8
            } else {
                out[n++] = (byte) (0xE0 | (c >> 12));
                out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return n;
    }

    private static final class ExposedBytes extends ByteArrayOutputStream {
        byte[] buffer() { return buf; }
    }
}
