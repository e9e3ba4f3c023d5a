package io.tapline.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A named pipe between a test and a script it starts: the script says "I got here" by writing to it (the test's
 * {@link #read} returns) or waits for the test to let it go by reading it ({@code read -r _ < fifo} returns when the
 * test {@link #write}s). Both ends block until the other opens, so the test waits on the event itself, never on a
 * sleep or on a file appearing; every wait has a timeout, after which the blocked open is released.
 */
public final class Fifo {
    private final Path path;

    private Fifo(Path path) {
        this.path = path;
    }

    /** Makes the pipe with {@code mkfifo}. */
    public static Fifo create(Path path) {
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("mkfifo " + path + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new Fifo(path);
    }

    /** The path a script writes to or reads from. */
    public Path path() {
        return path;
    }

    /** What a writer wrote, once it closes its end; fails if no writer came and went within {@code timeout}. */
    public String read(Duration timeout) {
        CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Fifo::daemon);
        return await(text, timeout, "nothing was written to " + path, StandardOpenOption.WRITE);
    }

    /** Writes {@code text} once a reader opens the pipe; fails if none does within {@code timeout}. */
    public void write(String text, Duration timeout) {
        CompletableFuture<String> written = CompletableFuture.supplyAsync(() -> {
            try {
                Files.writeString(path, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
                return text;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Fifo::daemon);
        await(written, timeout, "nobody read " + path, StandardOpenOption.READ);
    }

    private String await(CompletableFuture<String> f, Duration timeout, String what, StandardOpenOption release) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // open the other end once so the thread blocked in open() returns instead of leaking
            try (var ignored = Files.newByteChannel(path, release)) {
                // nothing to do
            } catch (IOException ignored) {
                // the thread stays blocked; the test fails anyway
            }
            throw new AssertionError(what + " within " + timeout, e);
        } catch (ExecutionException e) {
            throw new AssertionError(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what, e);
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "fifo");
        t.setDaemon(true);
        t.start();
    }
}
