/**
 * tapline's embedding API: {@link io.tapline.Pipeline}, {@link io.tapline.Tap},
 * {@link io.tapline.PipelineOptions}, {@link io.tapline.RunResult}. Everything else is implementation.
 */
package io.tapline;
