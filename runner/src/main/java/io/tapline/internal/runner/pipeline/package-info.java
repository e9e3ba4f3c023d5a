/**
 * The run loop: {@link io.tapline.internal.runner.pipeline.RunLoop} is the one skeleton every run goes through, a
 * {@link io.tapline.internal.runner.pipeline.Source} (Singer tap or Airbyte source) into a
 * {@link io.tapline.internal.runner.pipeline.Sink} (tapline target via
 * {@link io.tapline.internal.runner.pipeline.TargetSession}, where the commit rule lives, or an external chain via
 * {@link io.tapline.internal.runner.pipeline.ChainSink}). Launching processes belongs to
 * {@code io.tapline.internal.runner.process}; nothing here starts a process by itself.
 */
package io.tapline.internal.runner.pipeline;
