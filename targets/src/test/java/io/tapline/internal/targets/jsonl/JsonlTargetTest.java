package io.tapline.internal.targets.jsonl;

import io.tapline.internal.targets.testing.SingerFeed;
import static io.tapline.internal.targets.testing.SingerFeed.record;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.StreamName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = SECONDS)
class JsonlTargetTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String STREAM = "Public-Users.v2";
    private static final String ALL_TYPES_SCHEMA = """
            {"type":"SCHEMA","stream":"Public-Users.v2","key_properties":[],"schema":{"type":"object","properties":{\
            "id":{"type":"integer"},\
            "score":{"type":["number","null"]},\
            "active":{"type":"boolean"},\
            "name":{"type":["string","null"]},\
            "updated_at":{"type":"string","format":"date-time"},\
            "birthday":{"type":"string","format":"date"},\
            "wake_up":{"type":"string","format":"time"},\
            "profile":{"type":"object","properties":{"city":{"type":"string"}}},\
            "tags":{"type":"array","items":{"type":"string"}}}}}""";
    private static final String SIMPLE_SCHEMA = """
            {"type":"SCHEMA","stream":"events","key_properties":[],"schema":{"type":"object","properties":{\
            "id":{"type":"integer"},"country":{"type":"string"}}}}""";

    @TempDir
    Path dir;

    private RootAllocator allocator;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
    }

    @AfterEach
    void closeAllocator() {
        allocator.close(); // throws "Memory was leaked" if any Arrow buffer outlived the test
    }

    private JsonlTarget openTarget() {
        return JsonlTarget.open(JsonlTarget.at(dir).build());
    }

    @Test
    void everyColumnTypeParsesBackToTheSameValues() throws Exception {
        try (JsonlTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 2)) {
            feed.lines(ALL_TYPES_SCHEMA,
                    record(STREAM, """
                            {"id":1,"score":3.5,"active":true,"name":"Ada","updated_at":"2024-05-01T12:30:00.123456Z",\
                            "birthday":"1815-12-10","wake_up":"06:30:15.250",\
                            "profile":{"city":"London","zip":null},"tags":["a","b"]}"""),
                    record(STREAM, """
                            {"id":-9223372036854775808,"score":-0.25,"active":false,\
                            "name":"Καλημέρα 🌍 \\"q\\" \\u0000\\n end","updated_at":"2024-05-01T14:30:00+02:00",\
                            "birthday":"2000-02-29","wake_up":"23:59:00","profile":{},"tags":[]}"""),
                    record(STREAM, """
                            {"id":9223372036854775807,"score":null,"name":null}"""))
                    .endBatches();
            target.flush();
        }
        List<JsonNode> rows = lines(dir.resolve("public_users_v2.jsonl"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).isEqualTo(MAPPER.readTree("""
                {"id":1,"score":3.5,"active":true,"name":"Ada","updated_at":"2024-05-01T12:30:00.123456Z",\
                "birthday":"1815-12-10","wake_up":"06:30:15.25",\
                "profile":{"city":"London","zip":null},"tags":["a","b"]}"""));
        assertThat(rows.get(1)).isEqualTo(MAPPER.readTree("""
                {"id":-9223372036854775808,"score":-0.25,"active":false,\
                "name":"Καλημέρα 🌍 \\"q\\" \\u0000\\n end","updated_at":"2024-05-01T12:30:00Z",\
                "birthday":"2000-02-29","wake_up":"23:59:00","profile":{},"tags":[]}"""));
        assertThat(rows.get(2)).isEqualTo(MAPPER.readTree("""
                {"id":9223372036854775807,"score":null,"active":null,"name":null,"updated_at":null,\
                "birthday":null,"wake_up":null,"profile":null,"tags":null}"""));
        assertThat(rows.get(0).get("profile").isObject()).isTrue(); // embedded, not a JSON string
        assertThat(rows.get(1).get("id").isLong()).isTrue();
        assertThat(rows.get(0).propertyStream().map(e -> e.getKey()).toList())
                .containsExactly("id", "score", "active", "name", "updated_at", "birthday", "wake_up", "profile", "tags");
    }

    @Test
    void runsAppendToTheStreamFileWithoutChangingEarlierLines() throws Exception {
        Path file = dir.resolve("events.jsonl");
        try (JsonlTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}")).endBatches();
            target.flush();
            feed.lines(record("events", "{\"id\":2,\"country\":\"DE\"}")).endBatches();
            target.flush();
        }
        String firstRun = Files.readString(file);
        try (JsonlTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            assertThat(target.file(StreamName.of("events"))).isEqualTo(file);
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":3}")).endBatches();
            target.flush();
        }
        String both = Files.readString(file);
        assertThat(both).startsWith(firstRun).endsWith("\n");
        assertThat(lines(file)).extracting(n -> n.get("id").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(both.lines()).containsExactly(
                "{\"id\":1,\"country\":\"NL\"}", "{\"id\":2,\"country\":\"DE\"}", "{\"id\":3,\"country\":null}");
    }

    @Test
    void closeWithoutFlushDropsRowsWrittenAfterTheLastFlush() throws Exception {
        Path file = dir.resolve("events.jsonl");
        try (JsonlTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"));
            target.flush();
            feed.lines(record("events", "{\"id\":2,\"country\":\"DE\"}"));
        }
        assertThat(lines(file)).extracting(n -> n.get("id").asLong()).containsExactly(1L);

        try (JsonlTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":3}")); // never flushed
        }
        assertThat(lines(file)).extracting(n -> n.get("id").asLong()).containsExactly(1L);
    }

    @Test
    void abortTruncatesEachFileToTheLastFlush() throws Exception {
        Path file = dir.resolve("events.jsonl");
        try (JsonlTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"));
            target.flush();
            feed.lines(record("events", "{\"id\":2,\"country\":\"DE\"}"));
            target.abort();
        }
        assertThat(lines(file)).extracting(n -> n.get("id").asLong()).containsExactly(1L);
    }

    @Test
    void anIncompleteLastLineFromACrashIsCutOffOnOpen() throws Exception {
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, "{\"id\":1,\"country\":\"NL\"}\n{\"id\":2,\"coun", StandardCharsets.UTF_8);
        try (JsonlTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, record("events", "{\"id\":3,\"country\":\"FR\"}")).endBatches();
            target.flush();
        }
        assertThat(lines(file)).extracting(n -> n.get("id").asLong()).containsExactly(1L, 3L);
    }

    @Test
    void streamsGetTheirOwnFilesAndASchemaChangeChangesLaterLines() throws Exception {
        try (JsonlTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 100)) {
            feed.lines(SIMPLE_SCHEMA, ALL_TYPES_SCHEMA, record("events", "{\"id\":1,\"country\":\"NL\"}"),
                    record(STREAM, "{\"id\":7}"),
                    """
                    {"type":"SCHEMA","stream":"events","key_properties":[],"schema":{"type":"object","properties":{\
                    "id":{"type":"integer"},"country":{"type":"string"},"extra":{"type":"boolean"}}}}""",
                    record("events", "{\"id\":2,\"extra\":true}")).endBatches();
            target.flush();
        }
        assertThat(Files.readString(dir.resolve("events.jsonl")).lines()).containsExactly(
                "{\"id\":1,\"country\":\"NL\"}", "{\"id\":2,\"country\":null,\"extra\":true}");
        assertThat(lines(dir.resolve("public_users_v2.jsonl"))).extracting(n -> n.get("id").asLong()).containsExactly(7L);
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        JsonlTarget target = openTarget();
        target.close();
        assertThatCode(target::close).doesNotThrowAnyException();
        assertThatThrownBy(target::flush).isInstanceOf(IllegalStateException.class);
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(MAPPER.readTree(line));
        }
        return out;
    }
}
