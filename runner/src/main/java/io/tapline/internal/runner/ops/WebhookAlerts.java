package io.tapline.internal.runner.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.state.history.RunRecord;
import io.tapline.internal.state.history.RunStatus;
import io.tapline.internal.state.history.StreamRecord;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a JSON alert about a finished run to a webhook. The payload's {@code text} is what Slack
 * shows; {@code run} carries the figures for other receivers. Sending never throws: a webhook that
 * fails or times out is logged, and the run's outcome stays what it was.
 */
public final class WebhookAlerts {
    private static final Logger log = LoggerFactory.getLogger("tapline.alerts");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AlertConfig config;
    private final HttpClient client;

    public WebhookAlerts(AlertConfig config) {
        this.config = config;
        // HTTP/1.1: an h2c upgrade offer on plain http stalls some receivers
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.timeout()).build();
    }

    /** Why {@code run} deserves an alert, if it does. */
    Optional<String> reason(RunRecord run, Optional<RunRecord> previous) {
        if (run.status() == RunStatus.FAILED && config.onFailure()) {
            return Optional.of("failed");
        }
        if (run.status() == RunStatus.SUCCESS && config.rowDropPercent().isPresent() && previous.isPresent()
                && previous.get().status() == RunStatus.SUCCESS && previous.get().rowsRead() > 0) {
            double prev = previous.get().rowsRead();
            double drop = 100.0 * (prev - run.rowsRead()) / prev;
            if (drop > config.rowDropPercent().getAsDouble()) {
                return Optional.of(String.format(Locale.ROOT, "read %d records, %.0f%% fewer than the last successful run's %d",
                        run.rowsRead(), drop, previous.get().rowsRead()));
            }
        }
        if (run.status() == RunStatus.SUCCESS && config.onSuccess()) {
            return Optional.of("succeeded");
        }
        return Optional.empty();
    }

    /** Sends the alert if the run deserves one; true if a receiver accepted it. */
    public boolean send(RunRecord run, Optional<RunRecord> previous) {
        Optional<String> reason = reason(run, previous);
        if (reason.isEmpty()) {
            return false;
        }
        String body = payload(run, reason.get());
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(config.webhook())
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                log.warn("Alert webhook at {} answered HTTP {}; the alert for run {} is lost", config.target(),
                        response.statusCode(), run.runId());
                return false;
            }
            log.info("Alert sent to {} for run {} ({})", config.target(), run.runId(), reason.get());
            return true;
        } catch (IOException e) {
            log.warn("Alert webhook at {} failed ({}); the alert for run {} is lost", config.target(), e.toString(),
                    run.runId());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted sending the alert for run {}", run.runId());
            return false;
        }
    }

    static String payload(RunRecord run, String reason) {
        StringBuilder text = new StringBuilder();
        text.append(run.status() == RunStatus.FAILED ? ":x: " : run.status() == RunStatus.SUCCESS && !"succeeded".equals(reason)
                ? ":warning: " : ":white_check_mark: ");
        text.append("tapline pipeline `").append(run.pipeline()).append("` ").append(reason);
        run.duration().ifPresent(d -> text.append(String.format(Locale.ROOT, " after %.1f s", d.toMillis() / 1000.0)));
        text.append(" (run ").append(run.runId()).append(')');
        run.error().ifPresent(e -> text.append(": ").append(e));
        ObjectNode root = MAPPER.createObjectNode();
        root.put("text", text.toString());
        ObjectNode r = root.putObject("run");
        r.put("run_id", run.runId());
        r.put("pipeline", run.pipeline());
        r.put("state_id", run.stateId());
        r.put("status", run.status().label());
        r.put("reason", reason);
        r.put("started_at", run.startedAt().toString());
        run.endedAt().ifPresent(e -> r.put("ended_at", e.toString()));
        run.duration().ifPresent(d -> r.put("duration_ms", d.toMillis()));
        run.error().ifPresent(e -> r.put("error", e));
        run.exitCode().ifPresent(c -> r.put("exit_code", c));
        run.rowsCommitted().ifPresent(n -> r.put("rows_committed", n));
        ObjectNode streams = r.putObject("streams");
        for (StreamRecord s : run.streams()) {
            streams.putObject(s.stream()).put("rows", s.rows()).put("bytes", s.bytes());
        }
        return root.toString();
    }
}
