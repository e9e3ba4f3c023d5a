/** The local filesystem state store, in Meltano's {@code file://} layout. */
package io.tapline.internal.state.file;
