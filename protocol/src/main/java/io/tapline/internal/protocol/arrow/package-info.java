/**
 * JSON Schema to Arrow: {@link io.tapline.internal.protocol.arrow.JsonSchemaToArrow} maps a SCHEMA to columns and
 * {@link io.tapline.internal.protocol.arrow.BatchBuilder} writes RECORD tokens into Arrow vectors. Knows nothing
 * of processes, targets or state.
 */
package io.tapline.internal.protocol.arrow;
