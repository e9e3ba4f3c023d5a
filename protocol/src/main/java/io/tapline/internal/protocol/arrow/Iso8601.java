package io.tapline.internal.protocol.arrow;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * ISO 8601 / RFC 3339 parsing straight from the parser's char buffer. The common shapes taps write
 * ({@code 2024-05-01T12:30:00.123456Z}, with an offset, with a space, without fraction) take a
 * hand-written path with no allocation; anything else falls back to java.time.
 */
final class Iso8601 {
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private Iso8601() {}

    /** Microseconds since the epoch; a timestamp without offset is taken as UTC. */
    static long timestampMicros(char[] c, int off, int len) {
        if (len >= 19 && isDateAt(c, off) && (c[off + 10] == 'T' || c[off + 10] == 't' || c[off + 10] == ' ')) {
            long days = epochDay(c, off);
            int p = off + 11;
            long micros = timeMicros(c, p, off + len);
            if (micros >= 0) {
                int end = off + len;
                int q = p + 8;
                if (q < end && c[q] == '.') {
                    q++;
                    while (q < end && isDigit(c[q])) {
                        q++;
                    }
                }
                long offsetSeconds = offsetSeconds(c, q, end);
                if (offsetSeconds != Long.MIN_VALUE) {
                    return days * MICROS_PER_DAY + micros - offsetSeconds * 1_000_000L;
                }
            }
        } else if (len == 10 && isDateAt(c, off)) {
            return epochDay(c, off) * MICROS_PER_DAY; // a bare date in a date-time column: midnight UTC
        }
        return slowTimestamp(new String(c, off, len));
    }

    /** Days since the epoch; a full timestamp in a date column keeps its date part. */
    static int epochDay(char[] c, int off, int len) {
        if (len >= 10 && isDateAt(c, off) && (len == 10 || c[off + 10] == 'T' || c[off + 10] == ' ')) {
            return Math.toIntExact(epochDay(c, off));
        }
        throw new DateTimeParseException("not an ISO 8601 date", new String(c, off, len), 0);
    }

    /**
     * Microseconds since midnight. An RFC 3339 offset ({@code Z}, {@code +02:00}) is accepted and the
     * wall-clock part kept; any other trailing text is an error.
     */
    static long timeOfDayMicros(char[] c, int off, int len) {
        int end = off + len;
        long micros = len >= 8 ? timeMicros(c, off, end) : -1;
        if (micros >= 0) {
            int q = off + 8;
            if (q < end && c[q] == '.') {
                q++;
                while (q < end && isDigit(c[q])) {
                    q++;
                }
            }
            if (offsetSeconds(c, q, end) != Long.MIN_VALUE) {
                return micros;
            }
        }
        LocalTime t = LocalTime.parse(new String(c, off, len));
        return t.toNanoOfDay() / 1000;
    }

    private static long slowTimestamp(String s) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            instant = LocalDateTime.parse(s, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        }
        // floor, as the fast path truncates fraction digits past the microsecond (also before 1970)
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    /** HH:MM:SS[.fraction] at p; -1 if not that shape. Fraction digits beyond 6 are truncated. */
    private static long timeMicros(char[] c, int p, int end) {
        if (end - p < 8 || !isDigit(c[p]) || !isDigit(c[p + 1]) || c[p + 2] != ':' || !isDigit(c[p + 3])
                || !isDigit(c[p + 4]) || c[p + 5] != ':' || !isDigit(c[p + 6]) || !isDigit(c[p + 7])) {
            return -1;
        }
        int h = num2(c, p);
        int m = num2(c, p + 3);
        int s = num2(c, p + 6);
        if (h > 23 || m > 59 || s > 59) {
            return -1;
        }
        long micros = ((h * 60L + m) * 60L + s) * 1_000_000L;
        int q = p + 8;
        if (q < end && c[q] == '.') {
            q++;
            long frac = 0;
            int digits = 0;
            while (q < end && isDigit(c[q])) {
                if (digits < 6) {
                    frac = frac * 10 + (c[q] - '0');
                    digits++;
                }
                q++;
            }
            if (digits == 0) {
                return -1;
            }
            for (int i = digits; i < 6; i++) {
                frac *= 10;
            }
            micros += frac;
        }
        return micros;
    }

    /** Offset in seconds for Z, +HH:MM, +HHMM, +HH or nothing (UTC); Long.MIN_VALUE if malformed. */
    private static long offsetSeconds(char[] c, int p, int end) {
        int n = end - p;
        if (n == 0) {
            return 0;
        }
        if (n == 1 && (c[p] == 'Z' || c[p] == 'z')) {
            return 0;
        }
        if (c[p] != '+' && c[p] != '-') {
            return Long.MIN_VALUE;
        }
        int sign = c[p] == '-' ? -1 : 1;
        int h;
        int m;
        if (n == 6 && c[p + 3] == ':' && digits(c, p + 1, 2) && digits(c, p + 4, 2)) {
            h = num2(c, p + 1);
            m = num2(c, p + 4);
        } else if (n == 5 && digits(c, p + 1, 4)) {
            h = num2(c, p + 1);
            m = num2(c, p + 3);
        } else if (n == 3 && digits(c, p + 1, 2)) {
            h = num2(c, p + 1);
            m = 0;
        } else {
            return Long.MIN_VALUE;
        }
        if (h > 18 || m > 59 || (h == 18 && m > 0)) {
            return Long.MIN_VALUE;
        }
        return sign * (h * 3600L + m * 60L);
    }

    private static boolean isDateAt(char[] c, int off) {
        return digits(c, off, 4) && c[off + 4] == '-' && digits(c, off + 5, 2) && c[off + 7] == '-'
                && digits(c, off + 8, 2);
    }

    private static long epochDay(char[] c, int off) {
        int y = num2(c, off) * 100 + num2(c, off + 2);
        int m = num2(c, off + 5);
        int d = num2(c, off + 8);
        if (m < 1 || m > 12 || d < 1 || d > 31) {
            throw new DateTimeParseException("date out of range", new String(c, off, 10), 0);
        }
        if (d > 28 && d > daysInMonth(y, m)) { // 2023-02-30 and friends
            throw new DateTimeParseException("day out of range", new String(c, off, 10), 8);
        }
        // days from civil (Howard Hinnant)
        int yy = m <= 2 ? y - 1 : y;
        int era = Math.floorDiv(yy, 400);
        int yoe = yy - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097L + doe - 719468;
    }

    private static int daysInMonth(int y, int m) {
        return switch (m) {
            case 2 -> (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean digits(char[] c, int off, int n) {
        for (int i = off; i < off + n; i++) {
            if (!isDigit(c[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char ch) { return ch >= '0' && ch <= '9'; }

    private static int num2(char[] c, int off) { return (c[off] - '0') * 10 + (c[off + 1] - '0'); }
}
