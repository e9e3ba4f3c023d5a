package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Meltano's environment-variable rules: names ({@code to_env_var}), {@code $VAR} expansion and value rendering. */
public final class EnvVars {
    /**
     * {@code ${Name}} (any identifier) or {@code $NAME} (upper case, whole word: {@code $TableName} and
     * {@code $r} stay as written); a backslash before the dollar keeps it literal.
     */
    private static final Pattern VAR = Pattern.compile(
            "(\\\\\\$)|\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Z_][A-Z0-9_]*)(?![A-Za-z0-9_]))");

    private EnvVars() {}

    /** {@code to_env_var("tap-mock", "_select")} is {@code TAP_MOCK__SELECT}: parts upper-cased, non-alphanumerics as {@code _}. */
    public static String name(String... parts) {
        List<String> out = new ArrayList<>(parts.length);
        for (String p : parts) {
            if (p != null && !p.isEmpty()) {
                out.add(p.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
            }
        }
        return String.join("_", out);
    }

    /** Expands {@code $VAR} and {@code ${VAR}}; unset variables become the empty string, as in Meltano. */
    public static String expand(String s, Map<String, String> env) {
        if (s.indexOf('$') < 0) {
            return s;
        }
        Matcher m = VAR.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1) != null) {
                replacement = "$"; // escaped: the dollar stays, and what follows is not a variable
            } else {
                String name = m.group(2) != null ? m.group(2) : m.group(3);
                replacement = env.getOrDefault(name, "");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * A setting value as Meltano puts it in a plugin's environment: strings as they are, booleans
     * {@code true}/{@code false}, lists and objects as Python's {@code json.dumps} writes them.
     */
    public static String render(JsonNode v) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isContainerNode()) {
            StringBuilder sb = new StringBuilder();
            pythonJson(v, sb);
            return sb.toString();
        }
        return v.asText();
    }

    /** {@code json.dumps} defaults: {@code ", "} and {@code ": "} separators, non-ASCII escaped. */
    private static void pythonJson(JsonNode v, StringBuilder sb) {
        if (v.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                sb.append(first ? "" : ", ");
                first = false;
                quote(e.getKey(), sb);
                sb.append(": ");
                pythonJson(e.getValue(), sb);
            }
            sb.append('}');
        } else if (v.isArray()) {
            sb.append('[');
            for (int i = 0; i < v.size(); i++) {
                sb.append(i == 0 ? "" : ", ");
                pythonJson(v.get(i), sb);
            }
            sb.append(']');
        } else if (v.isTextual()) {
            quote(v.asText(), sb);
        } else if (v.isNull() || v.isMissingNode()) {
            sb.append("null");
        } else {
            sb.append(v.asText());
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
