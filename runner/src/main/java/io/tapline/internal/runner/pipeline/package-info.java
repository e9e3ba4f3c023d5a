/**
 * The run loops: {@link io.tapline.internal.runner.pipeline.PipelineRun} (Singer) and
 * {@link io.tapline.internal.runner.pipeline.AirbyteRun} (Airbyte: discover, read) start the connector and read
 * its stdout; {@link io.tapline.internal.runner.pipeline.TargetSession} is the one place the commit rule lives:
 * Arrow batches to the target, flush, then state.
 */
package io.tapline.internal.runner.pipeline;
