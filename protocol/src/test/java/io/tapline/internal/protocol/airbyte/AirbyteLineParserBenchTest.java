package io.tapline.internal.protocol.airbyte;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.arrow.BatchBuilder;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.spi.StreamSchema;
import io.tapline.internal.protocol.singer.JsonSchema;
import io.tapline.internal.protocol.singer.ActivateVersionMessage;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.internal.protocol.singer.StateMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the line parser on generated RECORD lines shaped like {@code bench/gen_records.py}'s
 * (10 mixed fields, about 330 bytes). Off by default; run with
 * {@code mvn -pl protocol test -Dtest=AirbyteLineParserBenchTest -Dtapline.bench=true [-Dtapline.bench.lines=N]}.
 *
 * <p>Besides the parser itself it times the token walk three ways, to show what splitting lines costs:
 * one blocking parser over the whole stream (what the Singer side does), a new blocking parser per
 * line (what {@link AirbyteLineParser} does), and one non-blocking parser fed line by line.
 */
@EnabledIfSystemProperty(named = "tapline.bench", matches = "true")
class AirbyteLineParserBenchTest {
    private static final int DISTINCT = 100_000;
    private static final long LINES = Long.getLong("tapline.bench.lines", 1_000_000);
    private static final int ROUNDS = Integer.getInteger("tapline.bench.rounds", 5);
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String SCHEMA = """
            {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
             "email": {"type": ["null", "string"]}, "score": {"type": "number"}, "active": {"type": "boolean"},
             "created_at": {"type": "string", "format": "date-time"}, "day": {"type": "string", "format": "date"},
             "note": {"type": ["null", "string"]}, "country": {"type": "string"}, "attrs": {"type": "object"}}}""";

    @Test
    void measure() throws IOException {
        byte[] airbyte = generate(true);
        byte[] singer = generate(false);
        System.out.printf(Locale.ROOT, "%,d lines, %.0f bytes/line (Airbyte), %.0f bytes/line (Singer)%n", LINES,
                airbyte.length / (double) DISTINCT, singer.length / (double) DISTINCT);
        Map<String, Double> best = new LinkedHashMap<>();
        for (int round = 1; round <= ROUNDS; round++) {
            System.out.println("round " + round);
            time(best, "AirbyteLineParser, data skipped", () -> airbyteParser(airbyte));
            time(best, "SingerLineParser, record skipped", () -> singerParser(singer));
            time(best, "AirbyteLineParser into Arrow", () -> airbyteToArrow(airbyte));
            time(best, "SingerLineParser into Arrow", () -> singerToArrow(singer));
            time(best, "token walk: one parser for the stream", () -> walkOneParser(airbyte));
            time(best, "token walk: a parser per line", () -> walkParserPerLine(airbyte));
            time(best, "token walk: one non-blocking parser", () -> walkNonBlocking(airbyte));
            time(best, "line splitting only", () -> splitOnly(airbyte));
        }
        System.out.println("best of " + ROUNDS);
        best.forEach((name, seconds) -> System.out.printf(Locale.ROOT, "  %-42s %6.2f s  %,12.0f records/s%n", name,
                seconds, LINES / seconds));
    }

    private interface Run {
        long run() throws IOException;
    }

    private static void time(Map<String, Double> best, String name, Run run) throws IOException {
        long start = System.nanoTime();
        long records = run.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (records != LINES) {
            throw new AssertionError(name + ": " + records + " records, expected " + LINES);
        }
        System.out.printf(Locale.ROOT, "  %-42s %6.2f s  %,12.0f records/s%n", name, seconds, records / seconds);
        best.merge(name, seconds, Math::min);
    }

    private static long airbyteParser(byte[] data) {
        long[] n = {0};
        new AirbyteLineParser(Set.of(StreamDescriptor.of("events"))).parse(repeat(data), new RecordingHandler() {
            @Override
            public void record(StreamName stream, Optional<String> namespace, JsonParser p, long line)
                    throws IOException {
                p.skipChildren();
                n[0]++;
            }
        });
        return n[0];
    }

    private static long airbyteToArrow(byte[] data) throws IOException {
        long[] n = {0};
        StreamSchema schema = JsonSchemaToArrow.convert(new SchemaMessage(StreamName.of("events"),
                new JsonSchema(new ObjectMapper().readTree(SCHEMA)), List.of(), List.of()), 0);
        try (BufferAllocator allocator = new RootAllocator(); BatchBuilder batch = new BatchBuilder(schema, allocator)) {
            new AirbyteLineParser(Set.of(StreamDescriptor.of("events"))).parse(repeat(data), new RecordingHandler() {
                @Override
                public void record(StreamName stream, Optional<String> namespace, JsonParser p, long line)
                        throws IOException {
                    batch.append(p, line);
                    if (batch.rowCount() == 10_000) {
                        batch.clear();
                    }
                    n[0]++;
                }
            });
        }
        return n[0];
    }

    private static long singerToArrow(byte[] records) throws IOException {
        long[] n = {0};
        StreamSchema schema = JsonSchemaToArrow.convert(new SchemaMessage(StreamName.of("events"),
                new JsonSchema(new ObjectMapper().readTree(SCHEMA)), List.of(), List.of()), 0);
        byte[] schemaLine = ("{\"type\":\"SCHEMA\",\"stream\":\"events\",\"schema\":" + SCHEMA.replace("\n", "")
                + ",\"key_properties\":[]}\n").getBytes(StandardCharsets.UTF_8);
        InputStream in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(schemaLine), repeat(records));
        try (BufferAllocator allocator = new RootAllocator(); BatchBuilder batch = new BatchBuilder(schema, allocator)) {
            new SingerLineParser().parse(in, new SingerLineParser.Handler() {
                @Override
                public void schema(SchemaMessage message, long lineNumber) {}

                @Override
                public void record(StreamName stream, JsonParser p, long line) throws IOException {
                    batch.append(p, line);
                    if (batch.rowCount() == 10_000) {
                        batch.clear();
                    }
                    n[0]++;
                }

                @Override
                public void state(StateMessage message, long lineNumber) {}
            });
        }
        return n[0];
    }

    private static long singerParser(byte[] records) {
        long[] n = {0};
        byte[] schema = ("{\"type\":\"SCHEMA\",\"stream\":\"events\",\"schema\":{\"type\":\"object\",\"properties\":{}},"
                + "\"key_properties\":[]}\n").getBytes(StandardCharsets.UTF_8);
        InputStream in = new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(schema), repeat(records));
        new SingerLineParser().parse(in, new SingerLineParser.Handler() {
            @Override
            public void schema(SchemaMessage message, long lineNumber) {}

            @Override
            public void record(StreamName stream, JsonParser p, long line) throws IOException {
                p.skipChildren();
                n[0]++;
            }

            @Override
            public void state(StateMessage message, long lineNumber) {}

            @Override
            public void activateVersion(ActivateVersionMessage message, long lineNumber) {}
        });
        return n[0];
    }

    private static long splitOnly(byte[] data) throws IOException {
        long n = 0;
        LineReader lines = new LineReader(repeat(data), AirbyteLineParser.DEFAULT_MAX_LINE_BYTES);
        while (lines.next()) {
            n++;
        }
        return n;
    }

    private static long walkOneParser(byte[] data) throws IOException {
        long n = 0;
        try (JsonParser p = FACTORY.createParser(repeat(data))) {
            while (p.nextToken() != null) {
                walk(p);
                n++;
            }
        }
        return n;
    }

    private static long walkParserPerLine(byte[] data) throws IOException {
        long n = 0;
        LineReader lines = new LineReader(repeat(data), AirbyteLineParser.DEFAULT_MAX_LINE_BYTES);
        while (lines.next()) {
            try (JsonParser p = FACTORY.createParser(lines.buffer(), lines.lineStart(), lines.lineLength())) {
                p.nextToken();
                walk(p);
            }
            n++;
        }
        return n;
    }

    private static long walkNonBlocking(byte[] data) throws IOException {
        long n = 0;
        LineReader lines = new LineReader(repeat(data), AirbyteLineParser.DEFAULT_MAX_LINE_BYTES);
        try (JsonParser p = FACTORY.createNonBlockingByteArrayParser()) {
            ByteArrayFeeder feeder = (ByteArrayFeeder) p.getNonBlockingInputFeeder();
            while (lines.next()) {
                feeder.feedInput(lines.buffer(), lines.lineStart(), lines.lineStart() + lines.lineLength());
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new AssertionError("line " + lines.lineNumber());
                }
                walk(p);
                if (p.nextToken() != JsonToken.NOT_AVAILABLE) {
                    throw new AssertionError("line " + lines.lineNumber());
                }
                n++;
            }
        }
        return n;
    }

    /** Reads every token of the object {@code p} is on, as a handler would, down to the values. */
    private static void walk(JsonParser p) throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken t = p.nextToken();
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case VALUE_STRING -> p.getTextLength();
                case VALUE_NUMBER_INT -> p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                default -> { }
            }
        }
    }

    /** {@link #DISTINCT} lines, cycled through by {@link #repeat} to make {@link #LINES}. */
    private static byte[] generate(boolean airbyte) {
        Random random = new Random(42);
        StringBuilder out = new StringBuilder();
        String[] names = {"ada", "grace", "edsger", "barbara", "donald", "frances", "john", "margaret"};
        for (int i = 0; i < DISTINCT; i++) {
            String name = names[random.nextInt(names.length)];
            String data = String.format(Locale.ROOT, "{\"id\":%d,\"name\":\"%s %d\",\"email\":%s,\"score\":%.4f,"
                    + "\"active\":%b,\"created_at\":\"2024-0%d-1%dT1%d:2%d:3%d.%06dZ\",\"day\":\"2024-0%d-0%d\","
                    + "\"note\":%s,\"country\":\"%s\",\"attrs\":{\"tags\":[\"t%d\",\"t%d\"],\"level\":%d}}",
                    i, name, random.nextInt(1000), random.nextInt(20) == 0 ? "null" : "\"" + name + "@example.com\"",
                    random.nextDouble() * 1000, random.nextBoolean(), 1 + random.nextInt(9), random.nextInt(10),
                    random.nextInt(10), random.nextInt(10), random.nextInt(10), random.nextInt(1_000_000),
                    1 + random.nextInt(9), 1 + random.nextInt(9),
                    random.nextInt(10) < 6 ? "null" : "\"note " + random.nextInt(100) + "\"",
                    new String[] {"NL", "DE", "FR", "US"}[random.nextInt(4)], random.nextInt(50), random.nextInt(50),
                    random.nextInt(5));
            if (airbyte) {
                out.append("{\"type\":\"RECORD\",\"record\":{\"stream\":\"events\",\"data\":").append(data)
                        .append(",\"emitted_at\":").append(1714521600000L + i).append("}}\n");
            } else {
                out.append("{\"type\":\"RECORD\",\"stream\":\"events\",\"record\":").append(data)
                        .append(",\"time_extracted\":\"2024-05-01T00:00:00Z\"}\n");
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code data} over and over until {@link #LINES} lines ({@code data} holds {@link #DISTINCT}). */
    private static InputStream repeat(byte[] data) {
        if (LINES % DISTINCT != 0) {
            throw new UncheckedIOException(new IOException("tapline.bench.lines must be a multiple of " + DISTINCT));
        }
        long total = data.length * (LINES / DISTINCT);
        return new InputStream() {
            private long pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= total) {
                    return -1;
                }
                int at = (int) (pos % data.length);
                int n = (int) Math.min(Math.min(len, data.length - at), total - pos);
                System.arraycopy(data, at, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
