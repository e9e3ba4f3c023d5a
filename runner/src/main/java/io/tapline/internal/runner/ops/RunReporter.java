package io.tapline.internal.runner.ops;

import io.tapline.spi.StateBlob;
import io.tapline.spi.StreamName;
import io.tapline.spi.StreamSchema;
import io.tapline.spi.RunFinished;
import io.tapline.spi.RunListener;
import io.tapline.spi.RunStarted;
import io.tapline.internal.state.history.RunHistory;
import io.tapline.internal.state.history.RunRecord;
import io.tapline.internal.state.history.RunStatus;
import io.tapline.internal.state.history.StreamRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run's figures and, when it ends, records it in the {@link RunHistory}, warns about schema
 * drift against the last successful run, sends the configured alerts and writes the metrics file. Each of
 * these is best effort: a failing history, webhook or metrics file is logged and never changes
 * the run's outcome.
 */
public final class RunReporter implements RunListener {
    private static final Logger log = LoggerFactory.getLogger("tapline.run");

    private final Optional<RunHistory> history;
    private final Optional<WebhookAlerts> alerts;
    private final Optional<PrometheusFile> metrics;
    private final Map<StreamName, StreamFigures> streams = new LinkedHashMap<>();
    private Optional<RunRecord> recorded = Optional.empty();
    private long rowsCommitted;

    public RunReporter(Optional<RunHistory> history, Optional<WebhookAlerts> alerts, Optional<PrometheusFile> metrics) {
        this.history = history;
        this.alerts = alerts;
        this.metrics = metrics;
    }

    /** The last run as recorded (with its figures), once it finished. */
    public Optional<RunRecord> recorded() { return recorded; }

    @Override
    public void runStarted(RunStarted run) {
        streams.clear();
        rowsCommitted = 0;
        history.ifPresent(h -> bestEffort("record the run's start", () -> h.started(new RunRecord(run.runId(),
                run.pipeline(), run.stateId(), run.startedAt(), Optional.empty(), RunStatus.RUNNING, Optional.empty(),
                Optional.empty(), Optional.empty(), 0, run.stateBefore().map(StateBlob::json), Optional.empty(),
                ProcessHandle.current().pid(), host(), List.of()))));
    }

    @Override
    public void stateCommitted(StateBlob state, long rowsCommitted) {
        this.rowsCommitted = rowsCommitted;
    }

    @Override
    public void streamOpened(StreamSchema schema) {
        StreamFigures f = streams.get(schema.stream());
        if (f == null) {
            streams.put(schema.stream(), new StreamFigures(schema));
        } else {
            f.reopen(schema);
        }
    }

    @Override
    public void batchWritten(StreamSchema schema, VectorSchemaRoot batch, long bytes) {
        StreamFigures f = streams.get(schema.stream());
        if (f == null) {
            f = new StreamFigures(schema);
            streams.put(schema.stream(), f);
        }
        f.batch(batch, bytes);
    }

    @Override
    public void runFinished(RunFinished run) {
        // drift and row-count alerts compare with the last run that loaded everything, not a failed one
        Optional<RunRecord> previous = history.flatMap(h -> {
            try {
                return h.lastSuccessful(run.pipeline(), run.runId());
            } catch (RuntimeException e) {
                log.warn("Could not read the last successful run of {} from the run history: {}", run.pipeline(),
                        e.getMessage());
                return Optional.empty();
            }
        });
        List<StreamRecord> records = new ArrayList<>();
        for (StreamFigures f : streams.values()) {
            List<String> drift = previous.flatMap(p -> p.stream(f.schema().stream().toString()))
                    .filter(p -> !p.columns().isEmpty())
                    .map(p -> SchemaDrift.changes(p.columns(), f.schema().columns()))
                    .orElse(List.of());
            if (!drift.isEmpty()) {
                log.warn("Schema drift in stream {} since run {}: {}", f.schema().stream(),
                        previous.get().runId(), String.join("; ", drift));
            }
            records.add(f.toRecord(drift));
        }
        long bytes = run.bytesRead() > 0 ? run.bytesRead() : 0;
        RunRecord record = new RunRecord(run.runId(), run.pipeline(), run.start().stateId(), run.start().startedAt(),
                Optional.of(run.endedAt()), run.failed() ? RunStatus.FAILED : RunStatus.SUCCESS, run.error(),
                Optional.of(run.exitCode()), Optional.of(run.rowsCommitted() >= 0 ? run.rowsCommitted() : rowsCommitted),
                bytes, run.start().stateBefore().map(StateBlob::json), run.stateAfter().map(StateBlob::json),
                ProcessHandle.current().pid(), host(), records);
        recorded = Optional.of(record);
        history.ifPresent(h -> bestEffort("record the run", () -> h.finished(record)));
        alerts.ifPresent(a -> a.send(record, previous));
        metrics.ifPresent(m -> bestEffort("write the metrics file " + m.file(),
                () -> m.write(history.map(RunHistory::pipelines).orElseGet(() -> List.of(PrometheusFile.single(record))))));
    }

    private static void bestEffort(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("Could not {}: {}", what, e.getMessage());
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
