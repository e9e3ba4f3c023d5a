package io.tapline.internal.runner.ops;

import io.tapline.internal.state.history.RunHistory.PipelineTotals;
import io.tapline.internal.state.history.RunRecord;
import io.tapline.internal.state.history.RunStatus;
import io.tapline.internal.state.history.StreamRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Run metrics in Prometheus' text format, for node_exporter's textfile collector or any scheduler
 * that scrapes a file. Rewritten whole after every run (temporary file, then atomic rename) so a
 * scraper never reads half a file.
 */
public final class PrometheusFile {
    private final Path file;

    public PrometheusFile(Path file) {
        this.file = file;
    }

    public Path file() { return file; }

    /** Totals for one run when there is no history to count from. */
    static PipelineTotals single(RunRecord run) {
        return new PipelineTotals(run.pipeline(), 1, run.status() == RunStatus.FAILED ? 1 : 0, run);
    }

    public void write(List<PipelineTotals> pipelines) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, render(pipelines), StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String render(List<PipelineTotals> pipelines) {
        StringBuilder sb = new StringBuilder();
        header(sb, "tapline_stream_rows", "gauge", "Records read per stream by the pipeline's latest run.");
        for (PipelineTotals p : pipelines) {
            for (StreamRecord s : p.latest().streams()) {
                sample(sb, "tapline_stream_rows", p.pipeline(), s.stream(), s.rows());
            }
        }
        header(sb, "tapline_stream_bytes", "gauge", "Approximate bytes per stream in the pipeline's latest run.");
        for (PipelineTotals p : pipelines) {
            for (StreamRecord s : p.latest().streams()) {
                sample(sb, "tapline_stream_bytes", p.pipeline(), s.stream(), s.bytes());
            }
        }
        header(sb, "tapline_run_rows_committed", "gauge", "Records committed by the pipeline's latest run.");
        pipelines.forEach(p -> sample(sb, "tapline_run_rows_committed", p.pipeline(), null,
                p.latest().rowsCommitted().orElse(0L)));
        header(sb, "tapline_run_bytes_read", "gauge", "Bytes read from the tap by the pipeline's latest run.");
        pipelines.forEach(p -> sample(sb, "tapline_run_bytes_read", p.pipeline(), null, p.latest().bytesRead()));
        header(sb, "tapline_run_duration_seconds", "gauge", "Wall time of the pipeline's latest run.");
        pipelines.forEach(p -> sample(sb, "tapline_run_duration_seconds", p.pipeline(), null,
                p.latest().duration().map(d -> d.toMillis() / 1000.0).orElse(0.0)));
        header(sb, "tapline_run_success", "gauge", "1 if the pipeline's latest run succeeded, else 0.");
        pipelines.forEach(p -> sample(sb, "tapline_run_success", p.pipeline(), null,
                p.latest().status() == RunStatus.SUCCESS ? 1 : 0));
        header(sb, "tapline_run_end_timestamp_seconds", "gauge", "When the pipeline's latest run ended (Unix time).");
        pipelines.forEach(p -> sample(sb, "tapline_run_end_timestamp_seconds", p.pipeline(), null,
                p.latest().endedAt().map(e -> e.toEpochMilli() / 1000.0).orElse(0.0)));
        header(sb, "tapline_runs_total", "counter", "Finished runs of the pipeline in the run history.");
        pipelines.forEach(p -> sample(sb, "tapline_runs_total", p.pipeline(), null, p.runs()));
        header(sb, "tapline_run_failures_total", "counter", "Failed runs of the pipeline in the run history.");
        pipelines.forEach(p -> sample(sb, "tapline_run_failures_total", p.pipeline(), null, p.failures()));
        return sb.toString();
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder sb, String name, String pipeline, String stream, double value) {
        sb.append(name).append("{pipeline=\"").append(escape(pipeline)).append('"');
        if (stream != null) {
            sb.append(",stream=\"").append(escape(stream)).append('"');
        }
        sb.append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            sb.append((long) value);
        } else {
            sb.append(value);
        }
        sb.append('\n');
    }

    /** Label values escape backslash, double quote and newline (the exposition format's rule). */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
