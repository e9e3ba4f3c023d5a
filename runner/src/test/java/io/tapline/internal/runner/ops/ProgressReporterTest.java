package io.tapline.internal.runner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.spi.StreamName;
import io.tapline.spi.Column;
import io.tapline.spi.ColumnType;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.PluginMetric;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final StreamSchema users = new StreamSchema(new StreamName("users"),
            List.of(new Column("id", ColumnType.BIGINT)), List.of());

    private static void batch(ProgressReporter r, StreamSchema schema, int rows, long bytes) {
        try (RootAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema.arrowSchema(), allocator)) {
            root.allocateNew();
            root.setRowCount(rows);
            r.batchWritten(schema, root, bytes);
        }
    }

    @Test
    void logLinesShowRecordsRateBytesElapsedAndOnlyStreamsThatMoved() {
        ProgressReporter r = new ProgressReporter(ProgressReporter.Mode.LOG, Duration.ofSeconds(30),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), now::get);
        r.streamOpened(users);
        r.streamOpened(new StreamSchema(new StreamName("idle"), List.of(), List.of()));
        now.addAndGet(10 * SECOND);
        batch(r, users, 65_536, 3 * 1024 * 1024);
        batch(r, users, 34_464, 1024 * 1024);

        assertThat(r.lines(now.get(), true)).containsExactly("users: 100,000 records | 10,000 rec/s | 4.0 MiB | 0:10");
        now.addAndGet(5 * SECOND);
        assertThat(r.lines(now.get(), true)).isEmpty(); // nothing moved: no line
        r.close();
    }

    @Test
    void airbyteEstimateAddsAPercentageAndSdkRecordCountsCountWhenAhead() {
        ProgressReporter r = new ProgressReporter(ProgressReporter.Mode.LOG, Duration.ofSeconds(30),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), now::get);
        r.estimate(Optional.of(new StreamName("users")), 400, 0);
        r.pluginMetric(new PluginMetric("tap", "counter", "record_count", 100, Map.of("stream", "users")));
        r.pluginMetric(new PluginMetric("tap", "counter", "record_count", 50, Map.of("stream", "users")));
        r.pluginMetric(new PluginMetric("tap", "timer", "http_request_duration", 2, Map.of("stream", "users")));
        now.addAndGet(75 * SECOND);
        assertThat(r.lines(now.get(), false)).containsExactly("users: 150 records | 2 rec/s | 0 B | 1:15 | 38% of ~400");
        r.close();
    }

    @Test
    void terminalModeRedrawsTheSameLinesInPlace() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressReporter r = new ProgressReporter(ProgressReporter.Mode.TERMINAL, Duration.ofHours(1),
                new PrintStream(out, true, StandardCharsets.UTF_8), now::get);
        r.runStarted(new io.tapline.spi.RunStarted("id", "p", "s", java.time.Instant.now(), Optional.empty()));
        batch(r, users, 10, 100);
        r.runFinished(new io.tapline.spi.RunFinished(new io.tapline.spi.RunStarted("id", "p", "s",
                java.time.Instant.now(), Optional.empty()), java.time.Instant.now(), io.tapline.spi.RunFinished.Status.SUCCESS,
                Optional.empty(), 0, 10, 0, Optional.empty()));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\r\033[2Kusers: 10 records | 10,000 rec/s | 100 B | 0:00\n");
        r.close();
    }
}
