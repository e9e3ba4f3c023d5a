package io.tapline.internal.runner.process;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * A started plugin, local ({@link PluginProcess}), a tap piped through mappers ({@link ProcessChain}) or on
 * another host ({@link SshPluginProcess}): raw
 * stdout for the protocol parser, stderr already going to the log. Closing stops it (TERM, then KILL
 * after a grace period) with everything it started, and is idempotent; it may be called from another
 * thread (idle watchdog, shutdown hook, cancel) while the reading thread is blocked on {@link #stdout()}.
 */
public interface RunningPlugin extends AutoCloseable {
    String name();

    /** The plugin's stdout. Read it on one thread only. */
    InputStream stdout();

    /** Waits for the plugin to exit and its stderr to drain; returns its exit code. */
    int waitFor(Duration timeout);

    /** The last lines the plugin wrote to stderr (for a chain, the failed stage's or the first's). */
    List<String> stderrTail();

    /** The error for a non-zero {@link #waitFor} result, naming the plugin that failed. */
    default io.tapline.spi.PluginFailedException failure(int exitCode) {
        return new io.tapline.spi.PluginFailedException(name(), exitCode, stderrTail());
    }

    @Override
    void close();
}
