/**
 * The {@code azure://} state backend on azure-storage-blob: Meltano's URI and settings, ETag conditions
 * (If-None-Match / If-Match) for the run lease. Only this package imports the client; the layout and the lease
 * live in {@code io.tapline.internal.state.objectstore}.
 */
package io.tapline.internal.state.azure;
