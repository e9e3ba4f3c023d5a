/**
 * The JSONL target: one file per stream, {@code <root>/<table name>.jsonl}, one JSON object per record,
 * appended; {@code flush()} is an fsync. Depends on {@code io.tapline.internal.protocol}, {@code io.tapline.spi},
 * Jackson and {@code io.tapline.internal.targets.duckdb.TableNames} only.
 */
package io.tapline.internal.targets.jsonl;
