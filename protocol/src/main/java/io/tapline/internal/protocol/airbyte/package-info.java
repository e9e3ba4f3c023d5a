/**
 * The Airbyte protocol, source side: the message model (a sealed
 * {@link io.tapline.internal.protocol.airbyte.AirbyteMessage}), the line parser that reads a connector's stdout
 * and hands RECORD {@code data} to the Arrow path token by token, the state accumulator that turns
 * STATE messages into the next run's {@code --state}, and the configured catalog built from a
 * selection. Depends on {@code io.tapline.internal.protocol} and its {@code catalog} package (select patterns)
 * only; must not import processes, targets or state stores.
 */
package io.tapline.internal.protocol.airbyte;
