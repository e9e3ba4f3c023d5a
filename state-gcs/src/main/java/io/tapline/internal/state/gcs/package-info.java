/**
 * The {@code gs://} state backend on google-cloud-storage: Meltano's URI and settings, generation preconditions
 * ({@code ifGenerationMatch}, {@code 0} for "does not exist") for the run lease. Only this package imports the
 * client; the layout and the lease live in {@code io.tapline.internal.state.objectstore}.
 */
package io.tapline.internal.state.gcs;
