package io.tapline.internal.targets.duckdb;

import io.tapline.spi.StreamName;
import java.util.Locale;

/**
 * Stream name to table name: lower case, every character outside {@code [a-z0-9_]} becomes {@code _}
 * (so {@code public-users} loads into {@code public_users}), and a leading digit gets a {@code _} prefix.
 */
public final class TableNames {
    private TableNames() {}

    public static String forStream(StreamName stream) {
        String lower = stream.value().toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            sb.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        if (sb.length() == 0 || Character.isDigit(sb.charAt(0))) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }
}
