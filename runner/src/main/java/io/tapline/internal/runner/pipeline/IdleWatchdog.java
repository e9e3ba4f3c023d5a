package io.tapline.internal.runner.pipeline;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops a tap that has gone quiet: when the pipeline has waited on the tap's stdout for longer than
 * the idle timeout, {@code onIdle} runs (it stops the process, which ends the read). Time the
 * pipeline spends not reading (e.g. while the target catches up) does not count: then it is the
 * tap that waits for us.
 */
final class IdleWatchdog implements AutoCloseable {
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final Watched stream;
    private volatile boolean fired;

    private IdleWatchdog(InputStream in, Duration timeout, Runnable onIdle) {
        this.timeout = timeout;
        this.stream = new Watched(in);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tapline-idle-watchdog");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
        timer.scheduleAtFixedRate(() -> {
            long waitingSince = stream.waitingSince;
            if (!fired && waitingSince != 0 && System.nanoTime() - waitingSince > timeout.toNanos()) {
                fired = true;
                onIdle.run();
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    static IdleWatchdog watch(InputStream in, Duration timeout, Runnable onIdle) {
        return new IdleWatchdog(in, timeout, onIdle);
    }

    /** The stream to read instead of the tap's stdout. */
    InputStream stream() { return stream; }

    /** Whether the tap was stopped for being idle. */
    boolean fired() { return fired; }

    Duration timeout() { return timeout; }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** Records when a read started waiting for data; 0 while not waiting. */
    private static final class Watched extends FilterInputStream {
        volatile long waitingSince;

        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            waitingSince = System.nanoTime();
            try {
                return super.read();
            } finally {
                waitingSince = 0;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            waitingSince = System.nanoTime();
            try {
                return super.read(b, off, len);
            } finally {
                waitingSince = 0;
            }
        }
    }
}
