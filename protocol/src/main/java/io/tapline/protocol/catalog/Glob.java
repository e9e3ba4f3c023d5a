package io.tapline.protocol.catalog;

import java.util.regex.Pattern;

/** Python's {@code fnmatch.fnmatchcase}: {@code *} (crosses dots), {@code ?}, {@code [seq]}, {@code [!seq]}. */
final class Glob {
    private Glob() {}

    static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = glob.indexOf(']', i + 2);
                if (j < 0) {
                    re.append("\\[");
                } else {
                    String body = glob.substring(i + 1, j);
                    if (body.startsWith("!")) {
                        body = "^" + body.substring(1);
                    }
                    re.append('[').append(body.replace("\\", "\\\\")).append(']');
                    i = j;
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
