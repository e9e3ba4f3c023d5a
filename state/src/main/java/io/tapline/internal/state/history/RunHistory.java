package io.tapline.internal.state.history;

import java.util.List;
import java.util.Optional;

/**
 * Where runs are recorded. A run is written twice: as {@link RunStatus#RUNNING} when it starts and
 * in full when it ends, so a run whose process died stays visible (read back as
 * {@link RunStatus#ABANDONED}). Implementations are safe to use from several processes.
 */
public interface RunHistory {
    /** Records a run that has just started ({@link RunRecord#status()} RUNNING). */
    void started(RunRecord run);

    /** Records the run's end, replacing what {@link #started} wrote. */
    void finished(RunRecord run);

    /** The latest runs first, at most {@code limit}, optionally of one pipeline. */
    List<RunRecord> list(int limit, Optional<String> pipeline);

    /** The run with this id, or with this unique id prefix. */
    Optional<RunRecord> find(String runIdOrPrefix);

    /**
     * The pipeline's latest successful run other than {@code exceptRunId}, with its streams: the
     * baseline for schema drift and row-count alerts (a failed run's figures describe a partial load).
     */
    Optional<RunRecord> lastSuccessful(String pipeline, String exceptRunId);

    /** Every pipeline's totals and latest finished run (with its streams), e.g. for metrics. */
    List<PipelineTotals> pipelines();

    /**
     * @param pipeline the pipeline's name
     * @param runs finished runs recorded
     * @param failures failed runs recorded
     * @param latest the latest finished run
     */
    record PipelineTotals(String pipeline, long runs, long failures, RunRecord latest) {}
}
