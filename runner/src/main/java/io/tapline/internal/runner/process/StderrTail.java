package io.tapline.internal.runner.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import io.tapline.spi.PluginMetric;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.zeroturnaround.exec.stream.LogOutputStream;

/**
 * Logs a plugin's stderr line by line, each line masked by the plugin's {@link Secrets} and at the level the
 * plugin gave it ({@link PluginLogLevel}), and keeps the last lines, masked, for error messages. SDK metric
 * lines go to the metric sink and are logged at DEBUG only: they are many and say little to a reader.
 */
final class StderrTail extends LogOutputStream {
    static final int LINES = 20;

    private final Logger log;
    private final String plugin;
    private final Consumer<PluginMetric> metrics;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Secrets secrets;

    StderrTail(Logger log, String plugin, Secrets secrets, Consumer<PluginMetric> metrics) {
        this.log = log;
        this.plugin = plugin;
        this.secrets = secrets;
        this.metrics = metrics;
    }

    @Override
    protected void processLine(String raw) {
        String line = secrets.mask(raw);
        var metric = MetricLine.parse(plugin, line);
        if (metric.isPresent()) {
            log.debug("{}", line);
            try {
                metrics.accept(metric.get());
            } catch (RuntimeException e) {
                log.debug("metric sink failed: {}", e.toString());
            }
            return;
        }
        Level level = PluginLogLevel.of(line);
        log.atLevel(level).log("{}", line);
        synchronized (tail) {
            if (tail.size() == LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }

    List<String> lines() {
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }
}
