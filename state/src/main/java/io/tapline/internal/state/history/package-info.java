/**
 * Run history: {@link io.tapline.internal.state.history.RunHistory} and its DuckDB implementation, one row per
 * run plus per-stream and per-column figures, queryable with SQL.
 */
package io.tapline.internal.state.history;
