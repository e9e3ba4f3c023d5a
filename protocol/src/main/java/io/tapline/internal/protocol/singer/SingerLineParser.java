package io.tapline.internal.protocol.singer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.StreamNameCache;
import io.tapline.internal.protocol.arrow.RawInput;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Singer messages, one JSON object per line, from a tap's stdout.
 *
 * <p>RECORD payloads are not materialised: the handler receives the Jackson parser positioned on the
 * record's {@code START_OBJECT} and reads the values straight into its own columns. Every other
 * message is small and becomes a {@link SingerMessage}.
 *
 * <p>Errors are {@link ProtocolException}s naming the line number and, where known, the stream:
 * a line that is not JSON, a message without {@code type}, a RECORD for a stream with no SCHEMA
 * yet. Unknown message types are logged once and skipped. Not thread-safe; one instance per stream
 * of input.
 */
public final class SingerLineParser {
    private static final Logger log = LoggerFactory.getLogger(SingerLineParser.class);

    /** Default per-line limit, as Meltano's (50 MiB). */
    public static final int DEFAULT_MAX_LINE_BYTES = 50 * 1024 * 1024;
    private static final List<String> TYPES = List.of("RECORD", "STATE", "SCHEMA", "ACTIVATE_VERSION", "BATCH");
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");

    /** Receives messages in order. Called on the parsing thread. */
    public interface Handler {
        void schema(SchemaMessage message, long lineNumber);

        /**
         * A RECORD: {@code record} is positioned on the record's {@code START_OBJECT} and the handler
         * must consume it through the matching {@code END_OBJECT}.
         */
        void record(StreamName stream, JsonParser record, long lineNumber) throws IOException;

        void state(StateMessage message, long lineNumber);

        /**
         * The rest of a RECORD, after {@link #record}: its {@code version} and {@code time_extracted}, which taps
         * write after the record itself.
         */
        default void recordEnd(StreamName stream, OptionalLong version, Optional<String> timeExtracted,
                long lineNumber) {}

        default void activateVersion(ActivateVersionMessage message, long lineNumber) {}

        default void batch(BatchMessage message, long lineNumber) {}
    }

    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final int maxLineBytes;
    private final Set<StreamName> streamsWithSchema = new HashSet<>();
    private final Set<String> unknownTypesSeen = new HashSet<>();
    private final StreamNameCache streamNames = new StreamNameCache();
    private final Fields fields = new Fields();
    private StreamName lastStreamWithSchema;
    private RetainingInputStream raw;
    private boolean deferredRecord;
    private long lines;
    private long bytes;

    public SingerLineParser() {
        this(DEFAULT_MAX_LINE_BYTES);
    }

    public SingerLineParser(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        this.factory = JsonFactory.builder()
                // a single 50 MiB line may hold one huge string (e.g. a document); the line limit bounds it
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Math.max(maxLineBytes, StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
                        .build())
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
                .build();
        // exact numbers in trees (deferred records, STATE values): 1.50 stays 1.50, big values stay exact
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /**
     * Reads {@code in} to its end, handing each message to {@code handler}. Does not close {@code in}.
     *
     * <p>One Jackson parser reads the whole stream (a parser per line cost a quarter of the parse
     * time); each message must be one JSON object on a line of its own, at most the line limit long.
     */
    public void parse(InputStream in, Handler handler) {
        RetainingInputStream counted = new RetainingInputStream(in);
        raw = counted;
        long previousLine = 0;
        try (JsonParser p = factory.createParser(counted)) {
            while (true) {
                JsonToken t = nextRootToken(p);
                if (t == null) {
                    break;
                }
                JsonLocation at = p.currentTokenLocation();
                counted.keepFrom(at.getByteOffset());
                long line = at.getLineNr();
                lines = line;
                if (t != JsonToken.START_OBJECT) {
                    throw new ProtocolException(ErrorCode.INVALID_JSON, Optional.empty(), line,
                            "expected a JSON object per line, found " + describe(t));
                }
                if (line == previousLine) {
                    throw new ProtocolException(ErrorCode.INVALID_JSON, Optional.empty(), line,
                            "more than one JSON value on the line");
                }
                previousLine = line;
                parseMessage(p, line, handler);
                long length = p.currentLocation().getByteOffset() - at.getByteOffset();
                if (length > maxLineBytes) {
                    throw new ProtocolException(ErrorCode.LINE_TOO_LONG, Optional.empty(), line,
                            "line is longer than the limit of " + maxLineBytes + " bytes");
                }
            }
            if (counted.count() > 0) {
                lines = Math.max(lines, p.currentLocation().getLineNr() - (counted.endsWithNewline() ? 1 : 0));
            }
        } catch (CharConversionException e) {
            // Jackson sniffs the encoding from the first bytes; Singer output must be UTF-8 (found by fuzzing)
            throw new ProtocolException(ErrorCode.INVALID_JSON, Optional.empty(), Math.max(1, lines),
                    "output is not UTF-8 encoded JSON");
        } catch (IOException e) {
            throw new UncheckedIOException("reading plugin output failed after line " + lines, e);
        } finally {
            bytes = counted.count();
        }
    }

    private JsonToken nextRootToken(JsonParser p) throws IOException {
        try {
            return p.nextToken();
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, Optional.empty(), p.currentLocation().getLineNr(),
                    "invalid JSON: " + withoutQuotedText(e.getOriginalMessage()));
        }
    }

    /**
     * The input's raw bytes, valid during {@link Handler#record} for values inside the current
     * message; null before {@link #parse} and for records of the rare out-of-order path, which are
     * read from a tree.
     */
    public RawInput rawInput() { return deferredRecord ? null : raw; }

    /** Lines read so far (including blank ones). */
    public long linesRead() { return lines; }

    /** Bytes read so far. */
    public long bytesRead() { return bytes; }

    /** Parses every message into memory. For tests and small streams only: RECORDs become trees. */
    public List<SingerMessage> readAll(InputStream in) {
        List<SingerMessage> out = new ArrayList<>();
        parse(in, new Handler() {
            @Override
            public void schema(SchemaMessage message, long lineNumber) { out.add(message); }

            @Override
            public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
                JsonNode node = mapper.readTree(record);
                out.add(new RecordMessage(stream, node, Optional.empty(), OptionalLong.empty()));
            }

            @Override
            public void state(StateMessage message, long lineNumber) { out.add(message); }

            @Override
            public void activateVersion(ActivateVersionMessage message, long lineNumber) { out.add(message); }

            @Override
            public void batch(BatchMessage message, long lineNumber) { out.add(message); }
        });
        return out;
    }

    /** Reads one message; {@code p} is on its START_OBJECT and is left on the matching END_OBJECT. */
    private void parseMessage(JsonParser p, long line, Handler handler) throws IOException {
        Fields f = fields.reset(); // one per parser: no object per message
        try {
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken valueToken = p.nextToken();
                switch (name) {
                    case "type" -> f.type = valueToken == JsonToken.VALUE_STRING ? messageType(p) : null;
                    case "stream" -> f.stream = valueToken == JsonToken.VALUE_STRING ? streamNames.read(p) : null;
                    case "record" -> {
                        if ("RECORD".equals(f.type) && f.stream != null && valueToken == JsonToken.START_OBJECT) {
                            requireSchema(f.stream, line);
                            handler.record(f.stream, p, line);
                            f.recordHandled = true;
                        } else {
                            f.deferredRecord = mapper.readTree(p); // fields out of the usual order: rare
                        }
                    }
                    case "schema" -> f.schema = mapper.readTree(p);
                    case "key_properties" -> f.keyProperties = stringList(p, "key_properties", line);
                    case "bookmark_properties" -> f.bookmarkProperties = stringList(p, "bookmark_properties", line);
                    case "value" -> f.value = mapper.readTree(p);
                    case "version" -> f.version = valueToken.isNumeric() ? OptionalLong.of(p.getLongValue()) : f.version;
                    case "time_extracted" -> f.timeExtracted = valueToken == JsonToken.VALUE_STRING
                            ? Optional.of(p.getText()) : Optional.empty();
                    case "encoding" -> f.encoding = mapper.readTree(p);
                    case "manifest" -> f.manifest = mapper.readTree(p);
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, Optional.ofNullable(f.stream), line,
                    "invalid JSON: " + withoutQuotedText(e.getOriginalMessage()));
        } catch (NumberFormatException e) {
            // a number Jackson cannot hold (e.g. an exponent past BigDecimal's range, found by fuzzing); the message
            // would quote the value, which is record data
            throw new ProtocolException(ErrorCode.INVALID_JSON, Optional.ofNullable(f.stream), line,
                    "invalid JSON: a number is beyond the range tapline can read");
        }
        dispatch(f, line, handler);
    }

    private void dispatch(Fields f, long line, Handler handler) throws IOException {
        if (f.type == null) {
            throw new ProtocolException(ErrorCode.MESSAGE_WITHOUT_TYPE, Optional.ofNullable(f.stream), line,
                    "message has no \"type\"");
        }
        switch (f.type) {
            case "RECORD" -> {
                if (f.recordHandled) {
                    handler.recordEnd(f.stream, f.version, f.timeExtracted, line);
                    return;
                }
                StreamName stream = require(f.stream, "RECORD", "stream", f, line);
                JsonNode record = require(f.deferredRecord, "RECORD", "record", f, line);
                if (!record.isObject()) {
                    throw invalid(f, line, "RECORD \"record\" is not a JSON object");
                }
                requireSchema(stream, line);
                try (JsonParser p = record.traverse(mapper)) {
                    p.nextToken();
                    deferredRecord = true;
                    handler.record(stream, p, line);
                } finally {
                    deferredRecord = false;
                }
                handler.recordEnd(stream, f.version, f.timeExtracted, line);
            }
            case "SCHEMA" -> {
                StreamName stream = require(f.stream, "SCHEMA", "stream", f, line);
                JsonNode schema = require(f.schema, "SCHEMA", "schema", f, line);
                if (!schema.isObject()) {
                    throw invalid(f, line, "SCHEMA \"schema\" is not a JSON object");
                }
                streamsWithSchema.add(stream);
                handler.schema(new SchemaMessage(stream, new JsonSchema(schema), f.keyProperties,
                        f.bookmarkProperties), line);
            }
            case "STATE" -> {
                JsonNode value = require(f.value, "STATE", "value", f, line);
                if (!value.isObject()) { // a tap's --state file is an object; Meltano merges states as objects
                    throw invalid(f, line, "STATE \"value\" is not a JSON object (found "
                            + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")");
                }
                handler.state(new StateMessage(new StateBlob(mapper.writeValueAsString(value))), line);
            }
            case "ACTIVATE_VERSION" -> {
                StreamName stream = require(f.stream, "ACTIVATE_VERSION", "stream", f, line);
                if (f.version.isEmpty()) {
                    throw invalid(f, line, "ACTIVATE_VERSION has no numeric \"version\"");
                }
                handler.activateVersion(new ActivateVersionMessage(stream, f.version.getAsLong()), line);
            }
            case "BATCH" -> handler.batch(batch(f, line), line);
            default -> {
                if (unknownTypesSeen.add(f.type)) {
                    log.warn("Skipping message of unknown type '{}' (line {}); further ones are skipped silently",
                            f.type, line);
                }
            }
        }
    }

    private BatchMessage batch(Fields f, long line) {
        StreamName stream = require(f.stream, "BATCH", "stream", f, line);
        JsonNode encoding = require(f.encoding, "BATCH", "encoding", f, line);
        JsonNode manifest = require(f.manifest, "BATCH", "manifest", f, line);
        String format = encoding.path("format").asText("");
        if (format.isEmpty() || !manifest.isArray()) {
            throw invalid(f, line, "BATCH needs encoding.format and a manifest array");
        }
        List<URI> files = new ArrayList<>();
        for (JsonNode uri : manifest) {
            try {
                files.add(URI.create(uri.asText()));
            } catch (IllegalArgumentException e) {
                throw invalid(f, line, "BATCH manifest entry is not a URI");
            }
        }
        JsonNode compression = encoding.path("compression");
        return new BatchMessage(stream, format,
                compression.isTextual() ? Optional.of(compression.asText()) : Optional.empty(), files);
    }

    private void requireSchema(StreamName stream, long line) {
        if (stream == lastStreamWithSchema) {
            return; // consecutive records of one stream share the StreamName instance
        }
        if (streamsWithSchema.contains(stream)) {
            lastStreamWithSchema = stream;
        } else {
            throw new ProtocolException(ErrorCode.RECORD_BEFORE_SCHEMA, Optional.of(stream), line,
                    "RECORD for stream '" + stream + "' arrived before its SCHEMA");
        }
    }

    private static <T> T require(T value, String type, String field, Fields f, long line) {
        if (value == null) {
            throw invalid(f, line, type + " message has no \"" + field + "\"");
        }
        return value;
    }

    private static ProtocolException invalid(Fields f, long line, String message) {
        return new ProtocolException(ErrorCode.INVALID_MESSAGE, Optional.ofNullable(f.stream), line, message);
    }

    private static List<String> stringList(JsonParser p, String field, long line) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, Optional.empty(), line,
                    "\"" + field + "\" is not an array of strings");
        }
        List<String> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, Optional.empty(), line,
                        "\"" + field + "\" is not an array of strings");
            }
            out.add(p.getText());
        }
        return out;
    }

    /** Jackson quotes the offending token ('hunter2'): it may be record data, so it never reaches a message. */
    private static String withoutQuotedText(String message) {
        return message == null ? "malformed" : QUOTED.matcher(message).replaceAll("'…'");
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "a JSON array";
            case VALUE_STRING -> "a JSON string";
            default -> "a JSON " + t.asString();
        };
    }

    /** Fields of one message, in whatever order the tap wrote them. */
    private static final class Fields {
        String type;
        StreamName stream;
        boolean recordHandled;
        JsonNode deferredRecord;
        JsonNode schema;
        List<String> keyProperties = List.of();
        List<String> bookmarkProperties = List.of();
        JsonNode value;
        OptionalLong version = OptionalLong.empty();
        Optional<String> timeExtracted = Optional.empty();
        JsonNode encoding;
        JsonNode manifest;

        Fields reset() {
            type = null;
            stream = null;
            recordHandled = false;
            deferredRecord = null;
            schema = null;
            keyProperties = List.of();
            bookmarkProperties = List.of();
            value = null;
            version = OptionalLong.empty();
            timeExtracted = Optional.empty();
            encoding = null;
            manifest = null;
            return this;
        }
    }

    /** The message type as one of the constants (no String per message), or the text of another type. */
    private static String messageType(JsonParser p) throws IOException {
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        for (String type : TYPES) {
            if (StreamNameCache.sameChars(type, chars, off, len)) {
                return type;
            }
        }
        return p.getText();
    }
}
