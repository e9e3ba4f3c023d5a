package io.tapline.internal.runner.cli;

import io.tapline.internal.runner.project.ProjectSession;
import io.tapline.internal.runner.ops.AlertConfig;
import io.tapline.internal.runner.ops.OpsConfig;
import io.tapline.internal.runner.ops.ProgressReporter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code run}'s options for progress, run history, alerts and metrics; they override the project's {@code tapline:} section. */
final class OpsOptions {
    /** How progress is shown. */
    enum Progress { AUTO, TERMINAL, LOG, OFF }

    @Option(names = "--progress", defaultValue = "AUTO", description = "auto (live lines on a terminal, else log "
            + "lines), terminal, log or off (default ${DEFAULT-VALUE})")
    Progress progress;

    @Option(names = "--progress-interval", description = "how often log-mode progress lines are written (ISO-8601, "
            + "default PT30S or tapline.progress_interval)")
    Optional<Duration> progressInterval;

    @Option(names = "--no-history", description = "do not record this run in the run history") boolean noHistory;

    @Option(names = "--metrics-file", description = "rewrite this Prometheus text file after the run")
    Optional<Path> metricsFile;

    @Option(names = "--alert-webhook", description = "POST a JSON alert here when the run fails (prefer "
            + "TAPLINE_ALERT_WEBHOOK or tapline.alerts.webhook: a URL in argv is visible to other users)")
    Optional<String> alertWebhook;

    @Option(names = "--alert-on-success", description = "also alert when the run succeeds") boolean alertOnSuccess;

    OpsConfig config(ProjectSession project, Map<String, String> env) {
        OpsConfig c = OpsConfig.load(project.config(), env);
        if (noHistory) {
            c = c.withHistory(Optional.empty());
        }
        if (metricsFile.isPresent()) {
            c = c.withMetricsFile(metricsFile.map(p -> project.root().resolve(p)));
        }
        if (progressInterval.isPresent()) {
            c = c.withProgressInterval(progressInterval.get());
        }
        Optional<String> url = alertWebhook.or(() -> Optional.ofNullable(env.get("TAPLINE_ALERT_WEBHOOK")))
                .filter(s -> !s.isBlank());
        if (url.isPresent()) {
            AlertConfig base = c.alerts().orElse(AlertConfig.onFailure(URI.create("http://localhost")));
            c = c.withAlerts(Optional.of(new AlertConfig(uri(url.get()), base.onFailure(), base.onSuccess(),
                    base.rowDropPercent(), base.timeout())));
        }
        if (alertOnSuccess && c.alerts().isPresent()) {
            AlertConfig a = c.alerts().get();
            c = c.withAlerts(Optional.of(new AlertConfig(a.webhook(), a.onFailure(), true, a.rowDropPercent(), a.timeout())));
        }
        return c;
    }

    Optional<ProgressReporter> reporter(OpsConfig config, Map<String, String> env) {
        Progress p = progress;
        if (p == Progress.AUTO) {
            p = System.console() != null && !"dumb".equals(env.getOrDefault("TERM", "dumb")) ? Progress.TERMINAL
                    : Progress.LOG;
        }
        return switch (p) {
            case TERMINAL -> Optional.of(ProgressReporter.terminal(System.err));
            case LOG -> Optional.of(ProgressReporter.logging(config.progressInterval()));
            case OFF, AUTO -> Optional.empty();
        };
    }

    private static URI uri(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new io.tapline.spi.ConfigException("alert webhook is not a valid URL");
        }
    }
}
