package io.tapline.internal.protocol.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonParser;
import io.tapline.spi.ProtocolException;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.airbyte.AirbyteLineParser;
import io.tapline.internal.protocol.arrow.BatchBuilder;
import io.tapline.internal.protocol.arrow.JsonSchemaToArrow;
import io.tapline.internal.protocol.singer.SchemaMessage;
import io.tapline.internal.protocol.singer.SingerLineParser;
import io.tapline.internal.protocol.singer.StateMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;

/**
 * Coverage-guided fuzzing (Jazzer) of the line parsers with the Arrow batch path behind them.
 * The only acceptable failures are documented protocol errors; anything else is a bug. Without
 * {@code JAZZER_FUZZ=1} these run the seed corpus as regression tests; the protocol module's build
 * fuzzes each for 10 s (surefire executions fuzz-*-parser), and {@code TAPLINE_FUZZ=1 bin/test} adds
 * more rounds that continue from the corpus Jazzer keeps in {@code protocol/.cifuzz-corpus}.
 */
class ParserFuzzTest {
    private static final int MAX_LINE = 1 << 16;

    @FuzzTest(maxDuration = "10s")
    void singerParserFailsOnlyWithProtocolErrors(byte[] input) {
        try (RootAllocator allocator = new RootAllocator()) {
            Map<StreamName, BatchBuilder> builders = new HashMap<>();
            SingerLineParser parser = new SingerLineParser(MAX_LINE);
            try {
                parser.parse(new ByteArrayInputStream(input), new SingerLineParser.Handler() {
                    @Override
                    public void schema(SchemaMessage message, long lineNumber) {
                        BatchBuilder old = builders.put(message.stream(),
                                new BatchBuilder(JsonSchemaToArrow.convert(message, lineNumber), allocator));
                        if (old != null) {
                            old.close();
                        }
                    }

                    @Override
                    public void record(StreamName stream, JsonParser record, long lineNumber) throws IOException {
                        builders.get(stream).append(record, lineNumber, parser.rawInput());
                    }

                    @Override
                    public void state(StateMessage message, long lineNumber) {}
                });
            } catch (ProtocolException expected) {
                // documented outcome for bad input
            } finally {
                builders.values().forEach(BatchBuilder::close);
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void airbyteParserFailsOnlyWithProtocolErrors(byte[] input) {
        try {
            new AirbyteLineParser(java.util.Set.of(), MAX_LINE).readAll(new ByteArrayInputStream(input));
        } catch (ProtocolException expected) {
            // documented outcome for bad input
        } catch (UncheckedIOException e) {
            throw new AssertionError("an in-memory stream cannot fail to read", e);
        }
    }
}
