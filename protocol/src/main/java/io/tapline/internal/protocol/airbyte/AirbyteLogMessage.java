package io.tapline.internal.protocol.airbyte;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/** A LOG message: the connector's own logging, to be logged at its level. */
public record AirbyteLogMessage(Level level, String message, Optional<String> stackTrace) implements AirbyteMessage {
    public AirbyteLogMessage {
        requireNonNull(level, "level is null");
        requireNonNull(message, "message is null");
        requireNonNull(stackTrace, "stackTrace is null");
    }

    /** The protocol's log levels. */
    public enum Level {
        FATAL, ERROR, WARN, INFO, DEBUG, TRACE;

        /** The level a connector wrote; Python's {@code WARNING} and {@code CRITICAL} too, anything else INFO. */
        public static Level parse(String level) {
            return switch (level.toUpperCase(Locale.ROOT)) {
                case "FATAL", "CRITICAL" -> FATAL;
                case "ERROR" -> ERROR;
                case "WARN", "WARNING" -> WARN;
                case "DEBUG" -> DEBUG;
                case "TRACE" -> TRACE;
                default -> INFO;
            };
        }
    }
}
