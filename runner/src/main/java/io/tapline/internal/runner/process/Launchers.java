package io.tapline.internal.runner.process;

import io.tapline.Tap;
import java.nio.file.Path;
import java.util.List;

/** Starts a {@link Tap}'s process where the tap says: locally, or on its {@link Tap#remote() SSH remote}. */
public final class Launchers {
    private Launchers() {}

    /**
     * Starts {@code argv} for {@code tap}. Arguments that are files in {@code privateDir} (a {@link PrivateFiles} folder) are copied to the
     * remote host when the tap runs there; {@code localDir} is the working directory of a local process.
     */
    public static RunningPlugin start(Tap tap, List<String> argv, Path privateDir, Path localDir) {
        return start(tap, argv, privateDir, localDir, m -> { });
    }

    /** As {@link #start(Tap, List, Path, Path)}; SDK metric lines of a local tap's stderr go to {@code metrics}. */
    public static RunningPlugin start(Tap tap, List<String> argv, Path privateDir, Path localDir,
            java.util.function.Consumer<io.tapline.spi.PluginMetric> metrics) {
        if (tap.remote().isPresent()) {
            return SshPluginProcess.start(tap.name(), tap.remote().get(), argv, tap.environment(), privateDir);
        }
        return PluginProcess.start(tap.name(), LimitedCommand.wrap(argv, tap.limits()),
                PluginEnvironment.forPlugin(tap.name(), System.getenv(), tap.environment(), PluginEnvironment.mode(tap)),
                localDir, Redactor.of(tap.secrets()), metrics);
    }
}
