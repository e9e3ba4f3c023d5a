/**
 * What every object-store state backend shares (S3, GCS, Azure Blob): Meltano's layout
 * ({@code <prefix>/<state_id>/state.json}), its {@code lock} object, and a run lease built on the store's
 * compare-and-swap writes. A backend module supplies an {@link io.tapline.internal.state.objectstore.ObjectStore};
 * nothing here imports a cloud SDK.
 */
package io.tapline.internal.state.objectstore;
