package io.tapline.internal.protocol.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.internal.protocol.singer.StateMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nested JSON values reach their column as the exact bytes the tap wrote, across the parser's buffer refills. */
class RawJsonCopyTest {
    private final RootAllocator allocator = new RootAllocator();
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void nestedValuesAreCopiedVerbatimFromTheInputOverManyBufferRefills() throws IOException {
        StringBuilder in = new StringBuilder("{\"type\":\"SCHEMA\",\"stream\":\"s\",\"schema\":{\"properties\":"
                + "{\"id\":{\"type\":\"integer\"},\"doc\":{\"type\":\"object\"},\"tags\":{\"type\":\"array\"}}},"
                + "\"key_properties\":[]}\n");
        List<String> docs = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int n = 40_000; // ~4 MB: the retained buffer refills and compacts many times
        for (int i = 0; i < n; i++) {
            String doc = "{\"n\": " + i + ", \"text\": \"caf\\u00e9 \\\"q\\\" é " + "x".repeat(i % 50) + "\", \"deep\": {\"a\": [1, {\"b\": null}]}}";
            String tag = i % 3 == 0 ? "[]" : "[\"t" + i + "\", " + i + "]";
            docs.add(doc);
            tags.add(tag);
            in.append("{\"type\":\"RECORD\",\"stream\":\"s\",\"record\":{\"id\":").append(i).append(",\"doc\":").append(doc)
                    .append(",\"tags\":").append(tag).append("}}\n");
        }
        SingerLineParser parser = new SingerLineParser();
        List<String> docOut = new ArrayList<>();
        List<String> tagOut = new ArrayList<>();
        BatchBuilder[] builder = new BatchBuilder[1];
        try {
            parser.parse(new ByteArrayInputStream(in.toString().getBytes(StandardCharsets.UTF_8)), new SingerLineParser.Handler() {
                @Override
                public void schema(SchemaMessage message, long lineNumber) {
                    builder[0] = new BatchBuilder(JsonSchemaToArrow.convert(message, lineNumber), allocator);
                }

                @Override
                public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
                    builder[0].append(record, lineNumber, parser.rawInput());
                    if (builder[0].rowCount() == 1000) {
                        drain(builder[0], docOut, tagOut);
                    }
                }

                @Override
                public void state(StateMessage message, long lineNumber) {}
            });
            drain(builder[0], docOut, tagOut);
        } finally {
            builder[0].close();
        }
        assertThat(docOut).hasSize(n).isEqualTo(docs);
        assertThat(tagOut).isEqualTo(tags);
        assertThat(json.readTree(docOut.get(7)).at("/deep/a/1").has("b")).isTrue();
    }

    private static void drain(BatchBuilder b, List<String> docs, List<String> tags) {
        var root = b.root();
        VarCharVector doc = (VarCharVector) root.getVector("doc");
        VarCharVector tag = (VarCharVector) root.getVector("tags");
        for (int i = 0; i < root.getRowCount(); i++) {
            docs.add(new String(doc.get(i), StandardCharsets.UTF_8));
            tags.add(new String(tag.get(i), StandardCharsets.UTF_8));
        }
        b.clear();
    }
}
