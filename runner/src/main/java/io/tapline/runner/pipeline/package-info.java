/**
 * The run loop: {@link io.tapline.runner.pipeline.PipelineRun} reads tap stdout, builds Arrow batches,
 * hands them to the target and commits state after the target flushed. The one place the commit rule lives.
 */
package io.tapline.runner.pipeline;
