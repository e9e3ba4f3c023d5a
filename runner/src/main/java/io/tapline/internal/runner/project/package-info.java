/** {@code meltano.yml} to {@link io.tapline.internal.runner.project.ProjectConfig} records. Parses once at the edge; no maps flow further. */
package io.tapline.internal.runner.project;
