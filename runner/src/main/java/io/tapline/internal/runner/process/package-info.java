/**
 * Plugin processes and the one launch policy: a {@link io.tapline.internal.runner.process.LaunchSpec} describes
 * every process tapline starts for a plugin and {@link io.tapline.internal.runner.process.Launcher} is the only
 * code that starts one (clean environment, limits, masked and levelled stderr, missing-executable errors).
 * {@link io.tapline.internal.runner.process.Secrets} is the one notion of which values are secret. Also private
 * config files and managed virtualenvs. Knows nothing of the Singer protocol; must not import the pipeline.
 */
package io.tapline.internal.runner.process;
