/**
 * Values shared by every tapline module: stream names, opaque state, and the exception hierarchy
 * ({@link io.tapline.protocol.TaplineException} with a stable {@link io.tapline.protocol.ErrorCode}).
 * Must not import anything from the runner, targets or state modules.
 */
package io.tapline.protocol;
