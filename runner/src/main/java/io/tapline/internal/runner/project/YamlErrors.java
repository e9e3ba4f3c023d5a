package io.tapline.internal.runner.project;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The one message for a YAML file that does not parse: file, line and column, the parser's problem,
 * and that one line with its values masked. The parsers' own messages are never used: Jackson's
 * quotes the top of the file and SnakeYAML's the failing line, and either may hold a password.
 *
 * <p>The masking rule: a project file may hold a secret in any value, under any key, so the line
 * keeps only its structure (indentation, {@code -} markers and the key before {@code :}) and every
 * value, flow collection or comment on it becomes {@code ****}. The column still points at the spot.
 * The exception carries no cause, since the parser's exception holds the text.
 */
final class YamlErrors {
    static final String MASK = "****";
    /** indentation and list markers; then a plain or quoted key followed by ':' and a blank or the end. */
    private static final Pattern KEYED = Pattern.compile(
            "^(\\s*(?:-\\s+)*)((?:\"[^\"]*\"|'[^']*'|[^\\s#'\"{\\[][^:#]*?))\\s*:(?=\\s|$)(.*)$");
    private static final Pattern MARKERS = Pattern.compile("^(\\s*(?:-(?:\\s+|$))*)(.*)$");

    private YamlErrors() {}

    /** A Jackson YAML parse failure of {@code text} read from {@code file}. */
    static ConfigException syntax(Path file, String text, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException m) {
            return syntax(file, text, m);
        }
        JsonLocation at = e.getLocation();
        int line = at == null ? 0 : at.getLineNr();
        int column = at == null ? 0 : at.getColumnNr();
        return error(file, text, line, column, "not valid YAML");
    }

    /** A SnakeYAML parse failure of {@code text} read from {@code file}. */
    static ConfigException syntax(Path file, String text, MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        if (e.getContextMark() != null && blankOrPastEnd(text, mark)) {
            mark = e.getContextMark(); // an unclosed quote fails at the end of the file: show where it opened
        }
        String problem = e.getProblem() != null ? e.getProblem() : "not valid YAML";
        if (e.getContext() != null) {
            problem = e.getContext() + ": " + problem;
        }
        return mark == null ? error(file, text, 0, 0, problem)
                : error(file, text, mark.getLine() + 1, mark.getColumn() + 1, problem);
    }

    private static boolean blankOrPastEnd(String text, Mark mark) {
        String[] lines = text.split("\\R", -1);
        return mark == null || mark.getLine() >= lines.length || lines[mark.getLine()].isBlank();
    }

    private static ConfigException error(Path file, String text, int line, int column, String problem) {
        StringBuilder msg = new StringBuilder().append(file);
        if (line > 0) {
            msg.append(':').append(line).append(':').append(column);
        }
        msg.append(": YAML syntax error: ").append(problem.strip());
        String[] lines = text.split("\\R", -1);
        if (line > 0 && line <= lines.length) {
            msg.append(System.lineSeparator()).append("  ").append(line).append(" | ").append(masked(lines[line - 1]));
        }
        return new ConfigException(ErrorCode.PROJECT_FILE_INVALID, msg.toString());
    }

    /** {@code line} with only its keys and structure shown (see the class comment for the rule). */
    static String masked(String line) {
        Matcher keyed = KEYED.matcher(line);
        if (keyed.matches()) {
            String rest = keyed.group(3).strip();
            return keyed.group(1) + keyed.group(2).strip() + ":" + (rest.isEmpty() ? "" : " " + MASK);
        }
        Matcher markers = MARKERS.matcher(line);
        markers.matches(); // always matches: both groups may be empty
        return markers.group(1) + (markers.group(2).isBlank() ? "" : MASK);
    }
}
