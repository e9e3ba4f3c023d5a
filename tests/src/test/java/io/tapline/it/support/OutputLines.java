package io.tapline.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A child process's output, line by line as it comes, copied to a log file: a test waits for the line that says
 * the event it needs happened ({@link #await}), with a timeout, instead of sleeping or polling a file. Start the
 * process with {@code redirectErrorStream(true)} and leave its stdout piped.
 */
public final class OutputLines {
    private final Path log;
    private final List<Waiter> waiters = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    private record Waiter(Predicate<String> match, CompletableFuture<String> line) {}

    private OutputLines(Path log) {
        this.log = log;
    }

    /** Starts copying {@code process}'s stdout to {@code log} on a daemon thread. */
    public static OutputLines of(Process process, Path log) {
        OutputLines out = new OutputLines(log);
        Thread t = new Thread(() -> out.pump(process), "output-lines");
        t.setDaemon(true);
        t.start();
        return out;
    }

    /** The first line (seen so far or still to come) containing {@code text}; fails after {@code timeout}. */
    public String await(String text, Duration timeout) {
        CompletableFuture<String> line = new CompletableFuture<>();
        synchronized (this) {
            seen.stream().filter(l -> l.contains(text)).findFirst().ifPresent(line::complete);
            if (!line.isDone()) {
                waiters.add(new Waiter(l -> l.contains(text), line));
            }
        }
        try {
            String got = CompletableFuture.anyOf(line, ended).thenApply(x -> line.getNow(null))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (got == null) {
                throw new AssertionError("the output ended without a line containing '" + text + "'; output:\n" + text());
            }
            return got;
        } catch (TimeoutException | ExecutionException e) {
            throw new AssertionError("no output line containing '" + text + "' within " + timeout + "; output:\n" + text(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything read so far. */
    public synchronized String text() {
        return String.join("\n", seen);
    }

    private void pump(Process process) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.write('\n');
                out.flush();
                synchronized (this) {
                    seen.add(line);
                    String l = line;
                    waiters.removeIf(w -> w.match().test(l) && w.line().complete(l));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ended.complete(null);
        }
    }
}
