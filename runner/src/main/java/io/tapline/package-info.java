/**
 * tapline's embedding API: {@link io.tapline.Pipeline} (run blocking, or {@link io.tapline.RunHandle}
 * asynchronously), {@link io.tapline.Tap} (local, {@link io.tapline.SshRemote} or through an
 * {@link io.tapline.SshTunnel}), {@link io.tapline.PipelineOptions}, {@link io.tapline.RunResult},
 * {@link io.tapline.Project} for {@code meltano.yml}. Values are immutable records; what a run opens,
 * the run closes. Everything outside this package and {@code io.tapline.spi} is implementation.
 */
package io.tapline;
