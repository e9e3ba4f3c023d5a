package io.tapline.internal.runner.pipeline;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.ProtocolException;
import io.tapline.internal.runner.process.RunningPlugin;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Reads a plugin's stdout to its end under the idle watchdog. When the output breaks the protocol or the plugin
 * goes quiet, the plugin is stopped and the error thrown; the run loop then fails its sink.
 */
final class PluginOutput {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);

    private PluginOutput() {}

    /** Parses all of {@code process}'s stdout with {@code parse} and returns the plugin's exit code. */
    static int readToEnd(RunningPlugin process, Duration idleTimeout, Consumer<InputStream> parse) {
        try (IdleWatchdog watchdog = IdleWatchdog.watch(process.stdout(), idleTimeout, process::close)) {
            try {
                parse.accept(watchdog.stream());
            } catch (ProtocolException | UncheckedIOException e) {
                process.close(); // stop the plugin: its output can no longer be trusted
                throw watchdog.fired() ? idle(watchdog, process) : e;
            }
            if (watchdog.fired()) {
                throw idle(watchdog, process);
            }
        }
        return process.waitFor(EXIT_TIMEOUT);
    }

    private static PluginFailedException idle(IdleWatchdog watchdog, RunningPlugin process) {
        return new PluginFailedException(ErrorCode.PLUGIN_TIMEOUT, process.name(), "plugin '" + process.name()
                + "' wrote nothing for " + watchdog.timeout().toSeconds() + " s and was stopped (idle timeout); "
                + "last stderr lines: " + process.stderrTail(), null);
    }
}
