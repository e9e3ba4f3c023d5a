/**
 * The run loop: {@link io.tapline.runner.pipeline.PipelineRun} reads tap stdout, builds Arrow batches,
 * hands them to the target and commits state after the target flushed. The one place the commit rule lives;
 * {@link io.tapline.runner.pipeline.AirbyteRun} is its Airbyte twin (discover, read, the same commit rule).
 */
package io.tapline.runner.pipeline;
