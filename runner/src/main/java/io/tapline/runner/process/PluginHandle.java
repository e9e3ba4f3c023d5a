package io.tapline.runner.process;

import io.tapline.protocol.PluginFailedException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * A running plugin whose stdout a run loop reads: one process ({@link PluginProcess}) or a tap
 * piped through mappers ({@link ProcessChain}). Closing stops every process it owns; idempotent.
 */
public interface PluginHandle extends AutoCloseable {
    /** The plugin named in logs and errors (for a chain, its first stage). */
    String name();

    /** The (last) process's stdout. Read it on one thread only. */
    InputStream stdout();

    /** Waits for every process to exit; returns 0 or the exit code of the plugin that failed. */
    int waitFor(Duration timeout);

    /** The last stderr lines of the plugin that failed (or of the first stage). */
    List<String> stderrTail();

    /** The error for a non-zero {@link #waitFor} result, naming the plugin that failed. */
    default PluginFailedException failure(int exitCode) {
        return new PluginFailedException(name(), exitCode, stderrTail());
    }

    @Override
    void close();
}
