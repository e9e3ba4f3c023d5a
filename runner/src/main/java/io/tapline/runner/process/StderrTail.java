package io.tapline.runner.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.zeroturnaround.exec.stream.LogOutputStream;

/** Logs a plugin's stderr line by line and keeps the last lines for error messages. */
final class StderrTail extends LogOutputStream {
    static final int LINES = 20;

    private final Logger log;
    private final Deque<String> tail = new ArrayDeque<>();
    private final Redactor redactor;

    StderrTail(Logger log) {
        this(log, Redactor.none());
    }

    StderrTail(Logger log, Redactor redactor) {
        this.log = log;
        this.redactor = redactor;
    }

    @Override
    protected void processLine(String raw) {
        String line = redactor.redact(raw);
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
