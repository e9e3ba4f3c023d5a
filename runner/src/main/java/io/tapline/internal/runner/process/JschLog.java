package io.tapline.internal.runner.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jsch's log into SLF4J ({@code tapline.ssh}). jsch reports routine events (key exchange steps, a
 * normal disconnect with its stack trace) at INFO; those go to DEBUG here so a run's log stays readable.
 */
final class JschLog implements com.jcraft.jsch.Logger {
    private static final Logger log = LoggerFactory.getLogger("tapline.ssh");

    @Override
    public boolean isEnabled(int level) {
        return level >= WARN ? log.isWarnEnabled() : log.isDebugEnabled();
    }

    @Override
    public void log(int level, String message) {
        log(level, message, null);
    }

    @Override
    public void log(int level, String message, Throwable cause) {
        if (level >= ERROR) {
            log.error("{}", message, cause);
        } else if (level == WARN) {
            log.warn("{}", message, cause);
        } else {
            log.debug("{}", message, cause);
        }
    }
}
