package io.tapline.internal.runner.project;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The suggestion an unknown plugin name gets: the known names closest to it by edit distance
 * (Levenshtein, case-insensitive), or that contain it or are contained in it ({@code github} for
 * {@code tap-github}). At most three, closest first; none when nothing is near.
 */
final class DidYouMean {
    private static final int MAX = 3;

    private DidYouMean() {}

    /** {@code " (did you mean 'a' or 'b'?)"}, or the empty string. */
    static String suggest(String unknown, Collection<String> known) {
        List<String> near = closest(unknown, known);
        if (near.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (did you mean ");
        for (int i = 0; i < near.size(); i++) {
            if (i > 0) {
                sb.append(i == near.size() - 1 ? " or " : ", ");
            }
            sb.append('\'').append(near.get(i)).append('\'');
        }
        return sb.append("?)").toString();
    }

    static List<String> closest(String unknown, Collection<String> known) {
        String u = unknown.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, u.length() / 3);
        Set<String> distinct = new LinkedHashSet<>(known);
        distinct.remove(unknown);
        return distinct.stream()
                .filter(k -> distance(u, k.toLowerCase(Locale.ROOT)) <= limit
                        || (u.length() >= 3 && (k.toLowerCase(Locale.ROOT).contains(u) || u.contains(k.toLowerCase(Locale.ROOT)))))
                .sorted(Comparator.comparingInt((String k) -> distance(u, k.toLowerCase(Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(MAX)
                .toList();
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
