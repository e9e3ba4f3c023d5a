package io.tapline.internal.runner.ops;

import io.tapline.spi.StreamName;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.PluginMetric;
import io.tapline.spi.RunFinished;
import io.tapline.spi.RunListener;
import io.tapline.spi.RunStarted;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-stream progress while a run goes: records, records/s, bytes, elapsed, and a percentage when
 * the source estimated a total (Airbyte ESTIMATE). On a terminal the lines are redrawn in place;
 * otherwise each stream that moved gets one log line per interval on {@code tapline.progress}.
 * Record counts are tapline's (batches handed to the target) or, when ahead, the tap's own SDK
 * {@code record_count} metric. Callbacks come from the reading and stderr threads; the lines are
 * drawn on a timer thread of its own.
 */
public final class ProgressReporter implements RunListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("tapline.progress");

    /** Where progress goes. */
    public enum Mode { TERMINAL, LOG }

    private final Mode mode;
    private final Duration interval;
    private final PrintStream terminal;
    private final LongSupplier nanoClock;
    private final Map<String, StreamProgress> streams = new LinkedHashMap<>();
    private ScheduledExecutorService timer;
    private long runStartNanos;
    private int drawnLines;

    public ProgressReporter(Mode mode, Duration interval, PrintStream terminal, LongSupplier nanoClock) {
        this.mode = mode;
        this.interval = interval;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.runStartNanos = nanoClock.getAsLong();
    }

    /** Live lines on {@code terminal} every half second. */
    public static ProgressReporter terminal(PrintStream terminal) {
        return new ProgressReporter(Mode.TERMINAL, Duration.ofMillis(500), terminal, System::nanoTime);
    }

    /** One log line per moving stream every {@code interval}. */
    public static ProgressReporter logging(Duration interval) {
        return new ProgressReporter(Mode.LOG, interval, System.err, System::nanoTime);
    }

    @Override
    public synchronized void runStarted(RunStarted run) {
        streams.clear();
        runStartNanos = nanoClock.getAsLong();
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tapline-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void streamOpened(StreamSchema schema) {
        stream(schema.stream().toString());
    }

    @Override
    public synchronized void batchWritten(StreamSchema schema, VectorSchemaRoot batch, long bytes) {
        StreamProgress p = stream(schema.stream().toString());
        p.records += batch.getRowCount();
        p.bytes += bytes;
    }

    @Override
    public synchronized void estimate(Optional<StreamName> stream, long rows, long bytes) {
        if (stream.isPresent() && rows > 0) {
            stream(stream.get().toString()).estimate = rows;
        }
    }

    @Override
    public synchronized void pluginMetric(PluginMetric metric) {
        if ("record_count".equals(metric.metric()) && "counter".equals(metric.type()) && metric.stream().isPresent()) {
            stream(metric.stream().get()).tapRecords += (long) metric.value();
        }
    }

    @Override
    public void runFinished(RunFinished run) {
        stopTimer();
        synchronized (this) {
            if (mode == Mode.TERMINAL) {
                draw();
            } else {
                lines(nanoClock.getAsLong(), false).forEach(l -> log.info("{}", l));
            }
        }
    }

    @Override
    public void close() {
        stopTimer();
    }

    private void stopTimer() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
            try {
                t.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void tick() {
        if (mode == Mode.TERMINAL) {
            draw();
        } else {
            lines(nanoClock.getAsLong(), true).forEach(l -> log.info("{}", l));
        }
    }

    private void draw() {
        List<String> lines = lines(nanoClock.getAsLong(), false);
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) {
            sb.append("\033[").append(drawnLines).append('A'); // back to the first line drawn last time
        }
        for (String l : lines) {
            sb.append("\r\033[2K").append(l).append('\n');
        }
        terminal.print(sb);
        terminal.flush();
        drawnLines = lines.size();
    }

    /**
     * One line per stream: {@code users: 120,000 records | 4,000 rec/s | 12.3 MB | 0:30 | 60% of ~200,000}.
     *
     * @param onlyMoved leave out streams that did not move since the last call with this flag
     */
    public synchronized List<String> lines(long nowNanos, boolean onlyMoved) {
        List<String> out = new ArrayList<>();
        for (StreamProgress p : streams.values()) {
            long records = Math.max(p.records, p.tapRecords);
            if (onlyMoved) {
                if (records == p.reported) {
                    continue;
                }
                p.reported = records;
            }
            out.add(line(p, records, nowNanos));
        }
        return out;
    }

    private String line(StreamProgress p, long records, long nowNanos) {
        double seconds = Math.max(1e-3, (nowNanos - p.firstSeenNanos) / 1e9);
        StringBuilder sb = new StringBuilder();
        sb.append(p.name).append(": ").append(String.format(Locale.ROOT, "%,d records", records));
        sb.append(String.format(Locale.ROOT, " | %,.0f rec/s", records / seconds));
        sb.append(" | ").append(bytes(p.bytes));
        sb.append(" | ").append(elapsed(Duration.ofNanos(nowNanos - runStartNanos)));
        if (p.estimate > 0) {
            sb.append(String.format(Locale.ROOT, " | %.0f%% of ~%,d", Math.min(100.0, 100.0 * records / p.estimate),
                    p.estimate));
        }
        return sb.toString();
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        if (b < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", b / (1024.0 * 1024 * 1024));
    }

    static String elapsed(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private StreamProgress stream(String name) {
        return streams.computeIfAbsent(name, n -> new StreamProgress(n, nanoClock.getAsLong()));
    }

    private static final class StreamProgress {
        final String name;
        final long firstSeenNanos;
        long records;
        long tapRecords;
        long bytes;
        long estimate;
        long reported;

        StreamProgress(String name, long firstSeenNanos) {
            this.name = name;
            this.firstSeenNanos = firstSeenNanos;
        }
    }
}
