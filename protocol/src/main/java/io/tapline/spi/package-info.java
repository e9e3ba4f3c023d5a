/**
 * What plugins implement: {@link io.tapline.spi.Target}, {@link io.tapline.spi.StateStore} and
 * {@link io.tapline.spi.RunListener}. Small on purpose; depends only on {@code io.tapline.internal.protocol}
 * and Arrow.
 */
package io.tapline.spi;
