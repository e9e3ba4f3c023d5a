/**
 * State, run leases and run history in PostgreSQL, in the table layout of Meltano's PostgreSQL state backend add-on
 * ({@code state}: {@code state_id}, {@code partial_state}, {@code completed_state}, {@code updated_at}), so Meltano
 * and tapline read each other's rows. Found through {@code io.tapline.spi.StateBackendProvider}; imports only the
 * SPI, {@code io.tapline.internal.state}, {@code io.tapline.internal.protocol} and the JDBC driver.
 */
package io.tapline.internal.state.postgres;
