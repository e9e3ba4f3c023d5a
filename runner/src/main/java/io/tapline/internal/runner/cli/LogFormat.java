package io.tapline.internal.runner.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/** {@code --log-format}: swaps the encoder of the root logger's appenders when logback is the backend. */
enum LogFormat {
    TEXT, JSON;

    /** Applies this format; a no-op for TEXT (the configured pattern) and for other SLF4J backends. */
    void apply() {
        if (this == TEXT) {
            return;
        }
        ILoggerFactory factory;
        try {
            factory = LoggerFactory.getILoggerFactory();
        } catch (NoClassDefFoundError e) {
            return;
        }
        if (!isLogback(factory)) {
            return;
        }
        LoggerContext context = (LoggerContext) factory;
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                JsonLogEncoder encoder = new JsonLogEncoder();
                encoder.setContext(context);
                encoder.start();
                appender.stop();
                appender.setEncoder(encoder);
                appender.start();
            }
        }
    }

    private static boolean isLogback(ILoggerFactory factory) {
        try {
            return factory instanceof LoggerContext;
        } catch (NoClassDefFoundError e) {
            return false;
        }
    }
}
