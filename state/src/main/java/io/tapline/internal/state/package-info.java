/** State stores and the state merge rule they share. Depends only on {@code io.tapline.internal.protocol}. */
package io.tapline.internal.state;
