package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.StreamNameCache;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Airbyte messages, one JSON object per line, from a connector's stdout.
 *
 * <p>RECORD {@code data} is not materialised: the handler receives the Jackson parser positioned on
 * its {@code START_OBJECT} and reads the values straight into its own columns. Every other message is
 * small and becomes an {@link AirbyteMessage}.
 *
 * <p>Connectors print other things to stdout too (banners, library warnings), so a line that is not
 * a JSON object with a string {@code type} is not an error: it goes to
 * {@link Handler#nonProtocolLine}. Blank lines are skipped. What is an error, a
 * {@link ProtocolException} naming the line and, where known, the stream: a line longer than the
 * limit; a message of a known type without the payload the protocol requires; a RECORD or STREAM
 * state for a stream outside the configured set; a line that says it is a RECORD but is not valid
 * JSON (cut short, say): dropping it would lose the record, and the handler may hold half its row.
 * Unknown message types are logged once and skipped.
 *
 * <p>Lines are split off in a reused buffer and fed, one at a time, to one non-blocking Jackson
 * parser, so a line that is not JSON costs a fresh parser but a valid one costs none. Not
 * thread-safe; one instance per connector run.
 */
public final class AirbyteLineParser {
    private static final Logger log = LoggerFactory.getLogger(AirbyteLineParser.class);

    /** Default per-line limit, as the Singer side's (50 MiB). */
    public static final int DEFAULT_MAX_LINE_BYTES = 50 * 1024 * 1024;
    /** Non-protocol lines are cut to this many chars before they reach the handler. */
    public static final int MAX_NON_PROTOCOL_CHARS = 1000;

    private static final Pattern QUOTED = Pattern.compile("'[^']*'");
    private static final String RECORD = "RECORD";
    private static final String STATE = "STATE";
    private static final String LOG = "LOG";
    private static final String TRACE = "TRACE";
    private static final String CATALOG = "CATALOG";
    private static final String SPEC = "SPEC";
    private static final String CONNECTION_STATUS = "CONNECTION_STATUS";
    private static final String CONTROL = "CONTROL";
    private static final String[] TYPES = {RECORD, STATE, LOG, TRACE, CATALOG, SPEC, CONNECTION_STATUS, CONTROL};

    /** Receives messages in order, on the parsing thread. */
    public interface Handler {
        /**
         * A RECORD: {@code data} is positioned on the data object's {@code START_OBJECT}, and the
         * handler must consume it through the matching {@code END_OBJECT}. {@code namespace} is the
         * record's, when it precedes {@code data} on the line (as every CDK writes it).
         *
         * <p>{@code data} may be a non-blocking parser: on a line cut short it returns
         * {@link JsonToken#NOT_AVAILABLE}, and the handler must stop there (return or throw; the
         * parser then fails the line), not loop waiting for {@code END_OBJECT}.
         */
        void record(StreamName stream, Optional<String> namespace, JsonParser data, long lineNumber)
                throws IOException;

        void state(AirbyteStateMessage message, long lineNumber);

        void trace(AirbyteTraceMessage message, long lineNumber);

        default void log(AirbyteLogMessage message, long lineNumber) {}

        default void catalog(AirbyteCatalogMessage message, long lineNumber) {}

        default void spec(AirbyteSpecMessage message, long lineNumber) {}

        default void connectionStatus(AirbyteConnectionStatusMessage message, long lineNumber) {}

        default void control(AirbyteControlMessage message, long lineNumber) {}

        /**
         * A stdout line that is not an Airbyte message, cut to {@value #MAX_NON_PROTOCOL_CHARS} chars.
         * By default logged at INFO.
         */
        default void nonProtocolLine(long lineNumber, String text) {
            LoggerFactory.getLogger(AirbyteLineParser.class).info("stdout line {}: {}", lineNumber, text);
        }
    }

    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final int maxLineBytes;
    private final StreamNames names;
    private final Set<String> unknownTypesSeen = new HashSet<>();
    private final LineFields current = new LineFields();
    private JsonParser parser; // non-blocking, fed line by line; null after an error until the next line
    private ByteArrayFeeder feeder;
    private long fed; // bytes fed to the current parser: its offsets count from its first line
    private boolean warnedLateNamespace;
    private long lines;
    private long bytes;
    private long nonProtocolLines;

    /** A parser that accepts records for any stream. */
    public AirbyteLineParser() {
        this(Set.of());
    }

    /**
     * @param configuredStreams the streams of the configured catalog; a RECORD or STREAM state for any
     *     other is an error. Empty allows every stream.
     */
    public AirbyteLineParser(Set<StreamDescriptor> configuredStreams) {
        this(configuredStreams, DEFAULT_MAX_LINE_BYTES);
    }

    /** @param maxLineBytes the longest line allowed, newline excluded; a longer one fails the run */
    public AirbyteLineParser(Set<StreamDescriptor> configuredStreams, int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLineBytes out of range: " + maxLineBytes);
        }
        this.names = new StreamNames(requireNonNull(configuredStreams, "configuredStreams is null"));
        this.maxLineBytes = maxLineBytes;
        this.factory = JsonFactory.builder()
                // a single 50 MiB line may hold one huge string; the line limit bounds it. One parser
                // reads the whole run, so no limit on the document or its tokens, whatever the defaults.
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Math.max(maxLineBytes, StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
                        .maxDocumentLength(-1)
                        .maxTokenCount(-1)
                        .build())
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
                .build();
        // exact numbers in trees (deferred records, catalogs): 1.50 stays 1.50, big values stay exact
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /** Reads {@code in} to its end, handing each message to {@code handler}. Does not close {@code in}. */
    public void parse(InputStream in, Handler handler) {
        LineReader reader = new LineReader(in, maxLineBytes);
        try {
            while (reader.next()) {
                lines = reader.lineNumber();
                parseLine(reader.buffer(), reader.lineStart(), reader.lineLength(), lines, handler);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading connector output failed after line " + lines, e);
        } finally {
            bytes = reader.bytesRead();
            discardParser();
        }
    }

    /** Lines read so far, blank ones included. */
    public long linesRead() { return lines; }

    /** Bytes read so far. */
    public long bytesRead() { return bytes; }

    /** Lines so far that were not Airbyte messages (blank lines not counted). */
    public long nonProtocolLines() { return nonProtocolLines; }

    /**
     * Parses every message into memory; non-protocol lines are logged. For tests and small outputs
     * ({@code spec}, {@code check}, {@code discover}) only: RECORDs become trees.
     */
    public List<AirbyteMessage> readAll(InputStream in) {
        MessageCollector collector = new MessageCollector(mapper);
        parse(in, collector);
        return collector.messages();
    }

    private void parseLine(byte[] buf, int off, int len, long line, Handler handler) throws IOException {
        int first = off;
        int last = off + len - 1;
        while (first <= last && isBlank(buf[first])) {
            first++;
        }
        if (first > last) {
            return;
        }
        if (buf[first] != '{') { // most non-protocol lines: no parsing
            nonProtocol(buf, off, len, line, handler);
            return;
        }
        while (isBlank(buf[last])) {
            last--;
        }
        JsonParser p = feed(buf, off, len);
        LineFields f = current.reset(buf, off, fed - len);
        // A line that does not end in '}' cannot be a message: it is only read far enough to tell a
        // broken RECORD (fatal) from text, and its data never reaches the handler.
        f.probeOnly = buf[last] != '}';
        boolean clean = false;
        try {
            p.nextToken();
            readEnvelope(p, f, line, handler);
            if (p.currentToken() != JsonToken.END_OBJECT || !p.getParsingContext().inRoot()) {
                notAMessage(f, line, "the line ends inside a RECORD", buf, off, len, handler);
            } else if (p.nextToken() != JsonToken.NOT_AVAILABLE) {
                notAMessage(f, line, "more than one JSON value on a line holding a RECORD", buf, off, len, handler);
            } else if (f.type == null) {
                clean = true;
                nonProtocol(buf, off, len, line, handler);
            } else {
                clean = true;
                dispatch(f, line, handler);
            }
        } catch (JsonProcessingException e) {
            notAMessage(f, line, "invalid JSON in a RECORD: " + withoutQuotedText(e.getOriginalMessage()), buf, off,
                    len, handler);
        } catch (NumberFormatException e) {
            // a number past BigDecimal's range; Jackson's message would quote the value, which is record data
            notAMessage(f, line, "invalid JSON in a RECORD: a number is beyond the range tapline can read", buf, off,
                    len, handler);
        } finally {
            if (!clean) {
                discardParser(); // it may be inside a value; the next line starts afresh
            }
        }
    }

    /**
     * A line that starts like a message but is not one. Text, unless it is a RECORD: a broken RECORD
     * fails the run rather than losing the record (and the handler may hold half of its row).
     */
    private void notAMessage(LineFields f, long line, String why, byte[] buf, int off, int len, Handler handler) {
        if (f.recordStarted || f.type == RECORD || (f.type == null && f.sawRecord)) {
            throw new ProtocolException(ErrorCode.INVALID_JSON, Optional.ofNullable(f.stream), line, why);
        }
        nonProtocol(buf, off, len, line, handler);
    }

    /**
     * The run's one non-blocking parser, fed this line. A parser per line cost about a fifth of the
     * parse time; fed whole lines, the non-blocking parser never runs out of input inside a valid
     * message, so {@link JsonToken#NOT_AVAILABLE} means the line ended too soon.
     */
    private JsonParser feed(byte[] buf, int off, int len) throws IOException {
        if (parser == null) {
            parser = factory.createNonBlockingByteArrayParser();
            feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
            fed = 0;
        }
        feeder.feedInput(buf, off, off + len);
        fed += len;
        return parser;
    }

    private void discardParser() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException e) {
                log.debug("Closing a discarded parser failed", e); // in-memory: nothing to lose
            }
            parser = null;
            feeder = null;
        }
    }

    /** Reads the message object; {@code p} is on its START_OBJECT and is left on the matching END_OBJECT. */
    private void readEnvelope(JsonParser p, LineFields f, long line, Handler handler) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "type" -> f.type = t == JsonToken.VALUE_STRING ? messageType(p) : null;
                case "record" -> {
                    f.sawRecord = true;
                    if (f.type == RECORD && t == JsonToken.START_OBJECT && !f.recordHandled) {
                        readRecord(p, f, line, handler);
                    } else if (f.probeOnly) {
                        p.skipChildren();
                    } else {
                        f.record = tree(p); // "type" after "record": rare
                    }
                }
                case "state" -> f.state = payload(p, f);
                case "trace" -> f.trace = payload(p, f);
                case "log" -> f.log = tree(p);
                case "catalog" -> f.catalog = tree(p);
                case "spec" -> f.spec = tree(p);
                case "connectionStatus" -> f.connectionStatus = tree(p);
                case "control" -> f.control = tree(p);
                default -> p.skipChildren();
            }
        }
    }

    /**
     * Reads the record object, handing {@code data} to the handler in place when the stream is known
     * and configured by then; otherwise {@code data} becomes a tree and is handed over at the end.
     */
    private void readRecord(JsonParser p, LineFields f, long line, Handler handler) throws IOException {
        StreamName stream = null;
        String namespace = null;
        JsonNode deferred = null;
        boolean handled = false;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "stream" -> {
                    stream = t == JsonToken.VALUE_STRING ? names.streamName(p) : null;
                    f.stream = stream;
                }
                case "namespace" -> {
                    namespace = t == JsonToken.VALUE_STRING ? names.namespace(p) : null;
                    if (handled && namespace != null && !warnedLateNamespace) {
                        warnedLateNamespace = true;
                        log.warn("RECORD on line {} names its namespace after its data; such records are loaded "
                                + "as if they had no namespace (warned once)", line);
                    }
                }
                case "data" -> {
                    if (t != JsonToken.START_OBJECT) {
                        throw invalid(f, line, "RECORD \"data\" is not a JSON object");
                    }
                    if (f.probeOnly) {
                        p.skipChildren();
                    } else if (!handled && stream != null && names.isConfigured(stream, namespace)) {
                        f.recordStarted = true;
                        handOver(stream, namespace, p, line, handler);
                        handled = true;
                    } else {
                        deferred = tree(p);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (!handled && !f.probeOnly) {
            handleRecord(stream, namespace, deferred, f, line, handler);
        }
        f.recordHandled = true;
    }

    /**
     * Calls the handler on the line's own parser. A line cut short just after a nested '}' shows the
     * handler {@link JsonToken#NOT_AVAILABLE} where it expects a value; whatever it then throws, the
     * error is the cut line.
     */
    private void handOver(StreamName stream, String namespace, JsonParser p, long line, Handler handler)
            throws IOException {
        try {
            handler.record(stream, names.optional(namespace), p, line);
        } catch (IOException | RuntimeException e) {
            if (feeder.needMoreInput()) { // the handler got to the end of the line: data was cut short
                throw new ProtocolException(ErrorCode.INVALID_JSON, Optional.of(stream), line,
                        "the line ends inside a RECORD");
            }
            throw e;
        }
    }

    private void dispatch(LineFields f, long line, Handler handler) throws IOException {
        try {
            switch (f.type) {
                case RECORD -> {
                    if (!f.recordHandled) {
                        JsonNode record = require(f.record, "RECORD", "record", f, line);
                        if (!record.isObject()) {
                            throw invalid(f, line, "RECORD \"record\" is not a JSON object");
                        }
                        JsonNode stream = record.path("stream");
                        JsonNode namespace = record.path("namespace");
                        JsonNode data = record.get("data");
                        if (data != null && !data.isObject()) {
                            throw invalid(f, line, "RECORD \"data\" is not a JSON object");
                        }
                        handleRecord(stream.isTextual() && !stream.asText().isEmpty() ? StreamName.of(stream.asText())
                                : null, namespace.isTextual() ? namespace.asText() : null, data, f, line, handler);
                    }
                }
                case STATE -> {
                    LineFields.Payload state = require(f.state, "STATE", "state", f, line);
                    AirbyteStateMessage message = Payloads.state(state.node(), f.text(state));
                    if (message.stream().isPresent() && !names.isConfigured(message.stream().get())) {
                        StreamDescriptor stream = message.stream().get();
                        throw new ProtocolException(ErrorCode.STATE_FOR_UNCONFIGURED_STREAM,
                                Optional.of(stream.name()), line, "STATE for stream '" + stream
                                        + "', which is not in the configured catalog");
                    }
                    handler.state(message, line);
                }
                case TRACE -> {
                    LineFields.Payload trace = require(f.trace, "TRACE", "trace", f, line);
                    handler.trace(Payloads.trace(trace.node(), () -> f.text(trace)), line);
                }
                case LOG -> handler.log(Payloads.log(require(f.log, "LOG", "log", f, line)), line);
                case CATALOG -> handler.catalog(new AirbyteCatalogMessage(require(f.catalog, "CATALOG", "catalog", f,
                        line)), line);
                case SPEC -> handler.spec(new AirbyteSpecMessage(require(f.spec, "SPEC", "spec", f, line)), line);
                case CONNECTION_STATUS -> handler.connectionStatus(Payloads.connectionStatus(
                        require(f.connectionStatus, "CONNECTION_STATUS", "connectionStatus", f, line)), line);
                case CONTROL -> {
                    JsonNode control = require(f.control, "CONTROL", "control", f, line);
                    Optional<AirbyteControlMessage> message = Payloads.control(control);
                    if (message.isPresent()) {
                        handler.control(message.get(), line);
                    } else {
                        skipUnknown("CONTROL " + control.path("type").asText("(no type)"), line);
                    }
                }
                default -> skipUnknown(f.type, line);
            }
        } catch (IllegalArgumentException e) {
            throw invalid(f, line, e.getMessage());
        }
    }

    private void handleRecord(StreamName stream, String namespace, JsonNode data, LineFields f, long line, Handler handler)
            throws IOException {
        if (stream == null) {
            throw invalid(f, line, "RECORD has no \"stream\"");
        }
        f.stream = stream;
        if (data == null) {
            throw invalid(f, line, "RECORD has no \"data\"");
        }
        if (!names.isConfigured(stream, namespace)) {
            StreamDescriptor descriptor = new StreamDescriptor(stream, Optional.ofNullable(namespace));
            throw new ProtocolException(ErrorCode.RECORD_FOR_UNCONFIGURED_STREAM, Optional.of(stream), line,
                    "RECORD for stream '" + descriptor + "', which is not in the configured catalog");
        }
        f.recordStarted = true;
        try (JsonParser p = data.traverse(mapper)) {
            p.nextToken();
            handler.record(stream, Optional.ofNullable(namespace), p, line);
        }
    }

    private void skipUnknown(String type, long line) {
        String shown = type.length() > 100 ? type.substring(0, 100) + "…" : type;
        if (unknownTypesSeen.size() < 100 && unknownTypesSeen.add(shown)) { // bounded: types come from the connector
            log.warn("Skipping Airbyte message of unknown type '{}' (line {}); further ones are skipped silently",
                    shown, line);
        }
    }

    private void nonProtocol(byte[] buf, int off, int len, long line, Handler handler) {
        nonProtocolLines++;
        handler.nonProtocolLine(line, LineReader.excerpt(buf, off, len, MAX_NON_PROTOCOL_CHARS));
    }

    private JsonNode tree(JsonParser p) throws IOException {
        JsonNode node = mapper.readTree(new WholeLineParser(p));
        return node == null ? NullNode.getInstance() : node;
    }

    /**
     * The non-blocking parser answers NOT_AVAILABLE where a cut-short line ends; databind's tree
     * reader does not expect that token and kept allocating until the heap ran out (found by
     * fuzzing). The whole line has been fed, so running out of input is a parse error.
     */
    static final class WholeLineParser extends JsonParserDelegate {
        WholeLineParser(JsonParser d) {
            super(d);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            return check(super.nextToken());
        }

        @Override
        public JsonToken nextValue() throws IOException {
            return check(super.nextValue());
        }

        @Override
        public String nextFieldName() throws IOException {
            String name = super.nextFieldName();
            if (name == null) {
                check(currentToken());
            }
            return name;
        }

        private JsonToken check(JsonToken t) throws JsonParseException {
            if (t == JsonToken.NOT_AVAILABLE) {
                throw new JsonParseException(this, "line ended inside a JSON value");
            }
            return t;
        }
    }

    /** A tree plus where its text sits on the line, for messages kept verbatim. */
    private LineFields.Payload payload(JsonParser p, LineFields f) throws IOException {
        int start = (int) (p.currentTokenLocation().getByteOffset() - f.base);
        if (start > 0 && f.buf[f.offset + start] != '{' && f.buf[f.offset + start - 1] == '{') {
            start--; // the non-blocking parser places START_OBJECT just after its '{'
        }
        JsonNode node = tree(p);
        int end = (int) (p.currentLocation().getByteOffset() - f.base);
        return new LineFields.Payload(node, start, end);
    }

    /** The message type as one of the constants (no String per line), or the text for another type. */
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

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\f' || b == 0x0B;
    }

    private static <T> T require(T value, String type, String field, LineFields f, long line) {
        if (value == null) {
            throw invalid(f, line, type + " message has no \"" + field + "\"");
        }
        return value;
    }

    private static ProtocolException invalid(LineFields f, long line, String message) {
        return new ProtocolException(ErrorCode.INVALID_MESSAGE, Optional.ofNullable(f.stream), line, message);
    }

    /** Jackson quotes the offending token ('hunter2'): it may be record data, so it never reaches a message. */
    private static String withoutQuotedText(String message) {
        return message == null ? "malformed" : QUOTED.matcher(message).replaceAll("'…'");
    }
}
