package io.tapline.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The lines a child process prints, each tagged with its source, on one queue that a test waits on with a
 * timeout: tests synchronise on what children say, never on sleeps.
 */
public final class ChildLines {
    /** One line from one child; {@code line} is null when the child's output ended. */
    public record Line(String source, String line, long receivedNanos) {
        public boolean ended() { return line == null; }
    }

    private final BlockingQueue<Line> queue = new LinkedBlockingQueue<>();

    /** Reads {@code out} on a daemon thread until it ends; lines that fail {@code keep} are dropped. */
    public void follow(String source, InputStream out, Predicate<String> keep) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (keep.test(l)) {
                        queue.add(new Line(source, l, System.nanoTime()));
                    }
                }
            } catch (IOException e) {
                // the child went away; reported as its end below
            }
            queue.add(new Line(source, null, System.nanoTime()));
        }, "child-lines-" + source);
        t.setDaemon(true);
        t.start();
    }

    /** The next line (or end), waiting at most {@code timeout}. */
    public Line next(Duration timeout) throws InterruptedException {
        Line l = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (l == null) {
            throw new AssertionError("no child said anything within " + timeout);
        }
        return l;
    }

    /** Skips lines until one matches, waiting at most {@code timeout} in all. */
    public Line await(Predicate<Line> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Line l = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (l == null) {
                throw new AssertionError("no expected child line within " + timeout);
            }
            if (match.test(l)) {
                return l;
            }
        }
    }
}
