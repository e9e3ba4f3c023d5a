package io.tapline.internal.runner.process;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.event.Level;

/**
 * The level a plugin gave one of its stderr lines, so tapline logs it at that level and not all at INFO.
 * Understands the formats taps use: JSON logs ({@code {"level": "error", ...}}, singer-sdk's
 * {@code "levelname"}), Airbyte messages ({@code LOG} with its level, {@code TRACE} of type {@code ERROR}),
 * logfmt ({@code level=error}), and Python logging's plain formats ({@code ERROR:root:...},
 * {@code 2024-01-01 12:00:00 ERROR ...}, {@code ... | WARNING | tap-x | ...}). A line it cannot place is INFO.
 */
final class PluginLogLevel {
    private static final Pattern JSON_LEVEL = Pattern.compile(
            "\"(?:level|levelname|severity|log_level)\"\\s*:\\s*\"([A-Za-z]+)\"");
    private static final Pattern AIRBYTE_ERROR_TRACE = Pattern.compile(
            "\"type\"\\s*:\\s*\"TRACE\".*\"trace\"\\s*:\\s*\\{[^}]*\"type\"\\s*:\\s*\"ERROR\"");
    private static final Pattern LOGFMT = Pattern.compile("(?:^|\\s)(?:level|lvl)=\"?([A-Za-z]+)");
    /** An upper-case level word standing alone near the start of the line, as Python logging formats put it. */
    private static final Pattern PLAIN = Pattern.compile(
            "(?:^|[\\s|\\[(:-])(CRITICAL|FATAL|ERROR|WARNING|WARN|INFO|DEBUG|TRACE)(?=$|[\\s|\\]):,-])");
    private static final int PLAIN_PREFIX = 48; // past a timestamp and a logger name: a level word later is text

    private PluginLogLevel() {}

    static Level of(String line) {
        String trimmed = line.stripLeading();
        if (trimmed.startsWith("{")) {
            if (AIRBYTE_ERROR_TRACE.matcher(trimmed).find()) {
                return Level.ERROR;
            }
            Matcher m = JSON_LEVEL.matcher(trimmed);
            return m.find() ? named(m.group(1)) : Level.INFO;
        }
        Matcher logfmt = LOGFMT.matcher(trimmed);
        if (logfmt.find()) {
            return named(logfmt.group(1));
        }
        Matcher plain = PLAIN.matcher(trimmed.length() > PLAIN_PREFIX ? trimmed.substring(0, PLAIN_PREFIX) : trimmed);
        return plain.find() ? named(plain.group(1)) : Level.INFO;
    }

    private static Level named(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "CRITICAL", "FATAL", "ERROR", "ERR", "EXCEPTION" -> Level.ERROR;
            case "WARNING", "WARN" -> Level.WARN;
            case "DEBUG" -> Level.DEBUG;
            case "TRACE" -> Level.TRACE;
            default -> Level.INFO;
        };
    }
}
