package io.tapline.internal.protocol.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Python's {@code fnmatch.fnmatchcase} (what Meltano's {@code fnmatch.fnmatch} is on Linux and macOS):
 * {@code *} matches any run of characters, dots included; {@code ?} one character; {@code [seq]} and
 * {@code [!seq]} a set, with Python's rules for ranges, a leading {@code ]}, and an unclosed {@code [}
 * (a literal). Thread-safe; compiled patterns are cached.
 */
public final class Glob {
    private static final int CACHE_LIMIT = 4096;
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private Glob() {}

    public static boolean matches(String glob, String text) {
        return compile(glob).matcher(text).matches();
    }

    /** Shell-style wildcard filter over {@code names}, keeping their order ({@code fnmatch.filter}). */
    static List<String> filter(Iterable<String> names, String glob) {
        Pattern p = compile(glob);
        List<String> out = new ArrayList<>();
        names.forEach(n -> {
            if (p.matcher(n).matches()) {
                out.add(n);
            }
        });
        return out;
    }

    public static Pattern compile(String glob) {
        Pattern cached = CACHE.get(glob);
        if (cached != null) {
            return cached;
        }
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        Pattern p = Pattern.compile(translate(glob), Pattern.DOTALL);
        CACHE.put(glob, p);
        return p;
    }

    /** A port of {@code fnmatch.translate} (CPython 3.9-3.12) to Java regex syntax. */
    static String translate(String glob) {
        int[] pat = glob.codePoints().toArray();
        int n = pat.length;
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < n) {
            int c = pat[i++];
            if (c == '*') {
                if (re.length() < 2 || !re.substring(re.length() - 2).equals(".*")) {
                    re.append(".*");
                }
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && pat[j] == '!') {
                    j++;
                }
                if (j < n && pat[j] == ']') {
                    j++;
                }
                while (j < n && pat[j] != ']') {
                    j++;
                }
                if (j >= n) {
                    re.append("\\[");
                } else {
                    re.append(charClass(pat, i, j));
                    i = j + 1;
                }
            } else {
                re.append(literal(c));
            }
        }
        return re.toString();
    }

    /** The set between {@code pat[start]} (after the {@code [}) and {@code pat[end]} (the {@code ]}). */
    private static String charClass(int[] pat, int start, int end) {
        boolean negated = pat[start] == '!';
        // Python splits the set on the hyphens that make ranges, into chunks; a range joins the last
        // character of one chunk to the first of the next, and any other hyphen is a literal.
        List<List<Integer>> chunks = new ArrayList<>();
        boolean hasHyphen = false;
        for (int x = start; x < end; x++) {
            hasHyphen |= pat[x] == '-';
        }
        if (!hasHyphen) {
            chunks.add(slice(pat, start, end));
        } else {
            int i = start;
            int k = negated ? start + 2 : start + 1;
            while (true) {
                k = indexOf(pat, '-', k, end);
                if (k < 0) {
                    break;
                }
                chunks.add(slice(pat, i, k));
                i = k + 1;
                k = k + 3;
            }
            List<Integer> last = slice(pat, i, end);
            if (!last.isEmpty()) {
                chunks.add(last);
            } else {
                chunks.get(chunks.size() - 1).add((int) '-');
            }
            for (int k2 = chunks.size() - 1; k2 > 0; k2--) { // drop empty ranges such as z-a
                List<Integer> prev = chunks.get(k2 - 1);
                List<Integer> next = chunks.get(k2);
                if (!prev.isEmpty() && !next.isEmpty() && prev.get(prev.size() - 1) > next.get(0)) {
                    List<Integer> merged = new ArrayList<>(prev.subList(0, prev.size() - 1));
                    merged.addAll(next.subList(1, next.size()));
                    chunks.set(k2 - 1, merged);
                    chunks.remove(k2);
                }
            }
        }
        // The first chunk starts with the '!' that negates the set.
        List<Integer> first = chunks.get(0);
        if (negated && !first.isEmpty()) {
            first.remove(0);
        }
        int total = 0;
        for (List<Integer> chunk : chunks) {
            total += chunk.size();
        }
        total += chunks.size() - 1; // the range hyphens
        if (total == 0) {
            return negated ? "." : "(?!)"; // "[!]" matches any character; an empty set nothing
        }
        StringBuilder out = new StringBuilder(negated ? "[^" : "[");
        for (int c = 0; c < chunks.size(); c++) {
            List<Integer> chunk = chunks.get(c);
            boolean rangeFromPrevious = c > 0;
            for (int x = 0; x < chunk.size(); x++) {
                if (x == 0 && rangeFromPrevious) {
                    out.append('-');
                }
                out.append(literal(chunk.get(x)));
            }
            if (chunk.isEmpty() && rangeFromPrevious) {
                out.append(literal('-'));
            }
        }
        return out.append(']').toString();
    }

    private static List<Integer> slice(int[] pat, int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int x = from; x < to; x++) {
            out.add(pat[x]);
        }
        return out;
    }

    private static int indexOf(int[] pat, int c, int from, int to) {
        for (int x = from; x < to; x++) {
            if (pat[x] == c) {
                return x;
            }
        }
        return -1;
    }

    private static String literal(int c) {
        if (c < 128 && (Character.isLetterOrDigit(c) || c == '_')) {
            return String.valueOf((char) c);
        }
        return "\\x{" + Integer.toHexString(c) + "}";
    }
}
