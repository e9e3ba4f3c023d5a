package io.tapline.internal.protocol.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.StreamName;
import java.nio.charset.StandardCharsets;

/** What one line held, in whatever order the connector wrote it. Reused from line to line. */
final class LineFields {
    /** A payload's tree and where its text sits on the line, for messages kept verbatim. */
    record Payload(JsonNode node, int start, int end) {}

    byte[] buf;
    int offset;
    long base; // the parser's byte offset of the line's first byte
    String type;
    StreamName stream;
    boolean probeOnly; // the line cannot be a message: read it only to see whether it is a RECORD
    boolean sawRecord;
    boolean recordStarted; // the handler has seen this line's data: a later error cannot be undone
    boolean recordHandled;
    JsonNode record;
    Payload state;
    Payload trace;
    JsonNode log;
    JsonNode catalog;
    JsonNode spec;
    JsonNode connectionStatus;
    JsonNode control;

    LineFields reset(byte[] lineBuffer, int lineOffset, long parserOffset) {
        buf = lineBuffer;
        offset = lineOffset;
        base = parserOffset;
        type = null;
        stream = null;
        probeOnly = false;
        sawRecord = false;
        recordStarted = false;
        recordHandled = false;
        record = null;
        state = null;
        trace = null;
        log = null;
        catalog = null;
        spec = null;
        connectionStatus = null;
        control = null;
        return this;
    }

    /** The payload's exact text on the line. */
    String text(Payload payload) {
        return new String(buf, offset + payload.start(), payload.end() - payload.start(), StandardCharsets.UTF_8);
    }
}
