/** {@code meltano.yml} to {@link io.tapline.runner.project.ProjectConfig} records. Parses once at the edge; no maps flow further. */
package io.tapline.runner.project;
