/**
 * The Parquet target: one dataset folder per stream under a root folder, one new Parquet part file per
 * batch, written by an in-memory DuckDB through the Arrow C stream interface under a hidden temporary
 * name and renamed to its final name only in {@code flush()}. Depends on {@code io.tapline.internal.protocol},
 * {@code io.tapline.spi} and {@code io.tapline.internal.targets.duckdb.TableNames} only.
 */
package io.tapline.internal.targets.parquet;
