/**
 * Values shared by every tapline module: stream names, opaque state, and the exception hierarchy
 * ({@link io.tapline.spi.TaplineException} with a stable {@link io.tapline.spi.ErrorCode}).
 * Must not import anything from the runner, targets or state modules.
 */
package io.tapline.internal.protocol;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.TaplineException;
