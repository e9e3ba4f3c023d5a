package io.tapline.internal.runner.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import io.tapline.spi.PluginMetric;
import org.slf4j.Logger;
import org.zeroturnaround.exec.stream.LogOutputStream;

/**
 * Logs a plugin's stderr line by line and keeps the last lines for error messages. SDK metric lines
 * go to the metric sink and are logged at DEBUG only: they are many and say little to a reader.
 */
final class StderrTail extends LogOutputStream {
    static final int LINES = 20;

    private final Logger log;
    private final String plugin;
    private final Consumer<PluginMetric> metrics;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Redactor redactor;

    StderrTail(Logger log) {
        this(log, "", Redactor.none(), m -> { });
    }

    StderrTail(Logger log, Redactor redactor) {
        this(log, "", redactor, m -> { });
    }

    StderrTail(Logger log, String plugin, Redactor redactor, Consumer<PluginMetric> metrics) {
        this.log = log;
        this.plugin = plugin;
        this.redactor = redactor;
        this.metrics = metrics;
    }

    @Override
    protected void processLine(String raw) {
        String line = redactor.redact(raw);
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
        log.info("{}", line);
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
