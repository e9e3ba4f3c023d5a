package io.tapline.internal.runner.project;

import io.tapline.spi.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's {@code .env} file, read the way python-dotenv (and so Meltano) reads it:
 * {@code KEY=value} lines, optional {@code export}, single or double quotes, {@code #} comments.
 */
public final class DotEnv {
    private static final Logger log = LoggerFactory.getLogger(DotEnv.class);

    private DotEnv() {}

    /** The variables in {@code file}; empty when there is no such file. */
    public static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * A line that is not {@code KEY=value} is skipped with a warning naming file and line, never its
     * text (python-dotenv skips it too; the line may hold a secret).
     */
    static Map<String, String> parse(Path file, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int number = 0;
        for (String raw : text.split("\\R")) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                log.warn("{}:{}: not a KEY=value line; ignored", file, number);
                continue;
            }
            String key = line.substring(0, eq).strip();
            out.put(key, value(line.substring(eq + 1).strip()));
        }
        return out;
    }

    private static String value(String v) {
        if (v.length() >= 2 && v.charAt(0) == '\'' && v.indexOf('\'', 1) > 0) {
            return v.substring(1, v.indexOf('\'', 1));
        }
        if (v.length() >= 2 && v.charAt(0) == '"') {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length()) {
                    char n = v.charAt(++i);
                    sb.append(switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> n;
                    });
                } else if (c == '"') {
                    return sb.toString();
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
        int comment = v.indexOf(" #");
        return (comment >= 0 ? v.substring(0, comment) : v).strip();
    }
}
