package io.tapline.internal.runner.ops;

import io.tapline.spi.RunListener;
import io.tapline.internal.state.history.HistoryLocation;
import io.tapline.internal.state.history.RunHistories;
import io.tapline.internal.state.history.RunHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Everything a CLI run reports through: progress, and the {@link RunReporter} (history, drift,
 * alerts, metrics). Close it after the run to stop the progress timer.
 */
public final class Operations implements AutoCloseable {
    private final Optional<ProgressReporter> progress;
    private final RunReporter reporter;
    private final Optional<RunHistory> history;

    private Operations(Optional<ProgressReporter> progress, RunReporter reporter, Optional<RunHistory> history) {
        this.progress = progress;
        this.reporter = reporter;
        this.history = history;
    }

    /** Opens the history (creating its tables) and wires the listeners {@code config} asks for. */
    public static Operations open(OpsConfig config, Optional<ProgressReporter> progress) {
        Optional<RunHistory> history = config.history().flatMap(Operations::openHistory);
        RunReporter reporter = new RunReporter(history, config.alerts().map(WebhookAlerts::new),
                config.metricsFile().map(PrometheusFile::new));
        return new Operations(progress, reporter, history);
    }

    /**
     * A history that cannot be opened (read-only folder, a file that is not DuckDB, a database that is down) must not
     * stop the run; it is named by {@link HistoryLocation#describe()}, credentials masked.
     */
    private static Optional<RunHistory> openHistory(HistoryLocation location) {
        try {
            return Optional.of(RunHistories.open(location, System.getenv(), Operations.class.getClassLoader()));
        } catch (RuntimeException e) {
            LoggerFactory.getLogger("tapline.run").warn("Run history at {} unavailable, this run is not recorded: {}",
                    location.describe(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The listener to add to the pipeline. */
    public RunListener listener() {
        List<RunListener> all = new ArrayList<>();
        progress.ifPresent(all::add);
        all.add(reporter);
        return RunListener.all(all);
    }

    public RunReporter reporter() { return reporter; }

    public Optional<RunHistory> history() { return history; }

    @Override
    public void close() {
        progress.ifPresent(ProgressReporter::close);
    }
}
