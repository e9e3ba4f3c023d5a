/** State stores and the state merge rule they share. Depends only on {@code io.tapline.protocol}. */
package io.tapline.state;
