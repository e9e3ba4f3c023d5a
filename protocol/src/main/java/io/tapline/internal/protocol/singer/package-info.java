/**
 * The Singer message model (a sealed {@link io.tapline.internal.protocol.singer.SingerMessage}) and the
 * streaming line parser that reads a tap's stdout with Jackson's {@code JsonParser}, handing RECORD
 * payloads to the Arrow path token by token. Depends only on {@code io.tapline.internal.protocol}.
 */
package io.tapline.internal.protocol.singer;
