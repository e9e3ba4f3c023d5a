/** picocli commands: argument mapping only; all behaviour is in {@link io.tapline.Project} and {@link io.tapline.Pipeline}. */
package io.tapline.internal.runner.cli;
