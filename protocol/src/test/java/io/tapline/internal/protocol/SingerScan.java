package io.tapline.internal.protocol;

import io.tapline.spi.ErrorCode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An independent reading of a Singer stream, to take test expectations from the input instead of
 * hard-coding them: each line goes through a plain {@link ObjectMapper} tree (not the streaming
 * parser under test). Stops at the first line that breaks the protocol, like the parser does, and
 * says which error the parser should raise there.
 */
public record SingerScan(List<Message> messages, Optional<Failure> failure) {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One well-formed message: its 1-based line, type, stream (if any) and the whole line as a tree. */
    public record Message(long line, String type, Optional<String> stream, JsonNode node) {}

    /** The error the parser must raise, and where. */
    public record Failure(ErrorCode code, long line, Optional<String> stream) {}

    public static SingerScan of(Path file) {
        try {
            return of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SingerScan of(String text) {
        List<Message> messages = new ArrayList<>();
        Set<String> withSchema = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            long lineNumber = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                return new SingerScan(messages, Optional.of(new Failure(ErrorCode.INVALID_JSON, lineNumber,
                        Optional.empty())));
            }
            if (!node.isObject()) {
                return new SingerScan(messages, Optional.of(new Failure(ErrorCode.INVALID_JSON, lineNumber,
                        Optional.empty())));
            }
            Optional<String> stream = node.path("stream").isTextual()
                    ? Optional.of(node.get("stream").asText()) : Optional.empty();
            if (!node.path("type").isTextual()) {
                return new SingerScan(messages, Optional.of(new Failure(ErrorCode.MESSAGE_WITHOUT_TYPE, lineNumber,
                        stream)));
            }
            String type = node.get("type").asText();
            if (type.equals("SCHEMA")) {
                stream.ifPresent(withSchema::add);
            } else if (type.equals("RECORD") && stream.isPresent() && !withSchema.contains(stream.get())) {
                return new SingerScan(messages, Optional.of(new Failure(ErrorCode.RECORD_BEFORE_SCHEMA, lineNumber,
                        stream)));
            }
            messages.add(new Message(lineNumber, type, stream, node));
        }
        return new SingerScan(messages, Optional.empty());
    }

    public long count(String type) {
        return messages.stream().filter(m -> m.type().equals(type)).count();
    }

    /** RECORD count per stream, in order of first appearance. */
    public Map<String, Long> recordCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Message m : messages) {
            if (m.type().equals("RECORD")) {
                counts.merge(m.stream().orElseThrow(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** The {@code record} objects of one stream, in order. */
    public List<JsonNode> records(String stream) {
        return messages.stream()
                .filter(m -> m.type().equals("RECORD") && m.stream().equals(Optional.of(stream)))
                .map(m -> m.node().get("record"))
                .toList();
    }

    /** The RECORD messages of one stream, in order (for their line numbers). */
    public List<Message> recordMessages(String stream) {
        return messages.stream()
                .filter(m -> m.type().equals("RECORD") && m.stream().equals(Optional.of(stream)))
                .toList();
    }

    /** The {@code value} of every STATE, in order. */
    public List<JsonNode> states() {
        return messages.stream().filter(m -> m.type().equals("STATE")).map(m -> m.node().get("value")).toList();
    }

    /** The trees' compact JSON text, as Jackson writes it. */
    public static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one JSON text with the same independent reader. */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
