package io.tapline.internal.runner.ops;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.internal.runner.project.ProjectConfig;
import io.tapline.internal.runner.project.ProjectFile;
import io.tapline.internal.state.history.HistoryLocation;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a project asks of run history, alerts, metrics and progress: the {@code tapline:} section of
 * {@code meltano.yml} (Meltano ignores it), which CLI flags override.
 *
 * @param history where the run history lives: a DuckDB file or a database URI ({@code postgresql://...});
 *     empty turns the history off
 * @param alerts the webhook alerts, if configured
 * @param metricsFile the Prometheus text file to rewrite after every run, if any
 * @param progressInterval how often a non-interactive run logs its progress lines
 */
public record OpsConfig(Optional<HistoryLocation> history, Optional<AlertConfig> alerts, Optional<Path> metricsFile,
        Duration progressInterval) {

    public static final String DEFAULT_HISTORY_FILE = ".tapline/system.duckdb";

    /** History in {@code <root>/.tapline/system.duckdb}, no alerts, no metrics, progress every 30 s. */
    public static OpsConfig defaults(Path root) {
        return new OpsConfig(Optional.of(new HistoryLocation.File(root.resolve(DEFAULT_HISTORY_FILE))), Optional.empty(),
                Optional.empty(),
                Duration.ofSeconds(30));
    }

    /**
     * Parses the project's {@code tapline:} section (as the one project-file reader left it);
     * {@code $VAR}s are expanded from {@code env}.
     */
    public static OpsConfig load(ProjectConfig project, Map<String, String> env) {
        Path root = project.root();
        Path projectFile = project.file();
        JsonNode section = project.taplineSection();
        OpsConfig out = defaults(root);
        if (section.isMissingNode() || section.isNull()) {
            return out;
        }
        if (!section.isObject()) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, projectFile + ": 'tapline' must be a mapping");
        }
        Optional<HistoryLocation> history = out.history();
        JsonNode h = section.path("history");
        if (h.isBoolean() && !h.asBoolean()) {
            history = Optional.empty();
        } else if (h.isTextual()) {
            history = Optional.of(location(ProjectFile.expand(h.asText(), env), root));
        }
        Optional<Path> metrics = text(section, "metrics_file", env).map(root::resolve);
        Duration interval = section.has("progress_interval")
                ? duration(section.get("progress_interval"), "tapline.progress_interval") : out.progressInterval();
        Optional<AlertConfig> alerts = Optional.empty();
        JsonNode a = section.path("alerts");
        if (a.isObject()) {
            Optional<String> url = text(a, "webhook", env).filter(s -> !s.isBlank());
            if (url.isPresent()) {
                alerts = Optional.of(new AlertConfig(uri(url.get()), a.path("on_failure").asBoolean(true),
                        a.path("on_success").asBoolean(false),
                        a.path("row_drop_percent").isNumber() ? OptionalDouble.of(a.get("row_drop_percent").asDouble())
                                : OptionalDouble.empty(),
                        a.has("timeout") ? duration(a.get("timeout"), "tapline.alerts.timeout") : Duration.ofSeconds(10)));
            }
        }
        return new OpsConfig(history, alerts, metrics, interval);
    }

    public OpsConfig withHistory(Optional<HistoryLocation> v) { return new OpsConfig(v, alerts, metricsFile, progressInterval); }

    public OpsConfig withAlerts(Optional<AlertConfig> v) { return new OpsConfig(history, v, metricsFile, progressInterval); }

    public OpsConfig withMetricsFile(Optional<Path> v) { return new OpsConfig(history, alerts, v, progressInterval); }

    public OpsConfig withProgressInterval(Duration v) { return new OpsConfig(history, alerts, metricsFile, v); }

    /** {@code scheme://...} (other than {@code file:}) is a database; anything else a DuckDB file path. */
    static HistoryLocation location(String value, Path root) {
        if (value.matches("(?i)[a-z][a-z0-9+.-]*://.*") && !value.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                return new HistoryLocation.Database(new URI(value));
            } catch (java.net.URISyntaxException e) {
                throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, "tapline.history is not a valid URI ("
                        + e.getReason() + ")"); // the URI may hold a password: not shown
            }
        }
        return new HistoryLocation.File(root.resolve(value.regionMatches(true, 0, "file://", 0, 7)
                ? URI.create(value).getPath() : value));
    }

    static URI uri(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("alert webhook is not a valid URL"); // the URL itself is a secret
        }
    }

    private static Optional<String> text(JsonNode node, String field, Map<String, String> env) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(ProjectFile.expand(v.asText(), env));
    }

    private static Duration duration(JsonNode v, String what) {
        try {
            return v.isNumber() ? Duration.ofSeconds(v.asLong()) : Duration.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, what + ": '" + v.asText()
                    + "' is not a duration in seconds or ISO-8601 (PT30S)");
        }
    }
}
