/**
 * The in-process DuckDB target: Arrow batches into DuckDB through the Arrow C stream interface, one
 * writer thread per target, one transaction per flush. Depends on {@code io.tapline.internal.protocol} and
 * {@code io.tapline.spi} only.
 */
package io.tapline.internal.targets.duckdb;
