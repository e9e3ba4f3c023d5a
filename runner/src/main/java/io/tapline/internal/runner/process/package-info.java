/**
 * Plugin processes (zt-exec), their private config files, and managed virtualenvs. Knows nothing of
 * the Singer protocol.
 */
package io.tapline.internal.runner.process;
