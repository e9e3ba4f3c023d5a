package io.tapline.internal.protocol.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written ISO 8601 paths against java.time, on many random values in every shape taps write. */
class Iso8601Test {
    private static final int SAMPLES = 20_000;
    private static final long MIN_SECOND = LocalDate.of(1, 1, 2).toEpochDay() * 86_400;
    private static final long MAX_SECOND = LocalDate.of(9999, 12, 30).toEpochDay() * 86_400;

    private enum OffsetStyle { NONE, UPPER_Z, LOWER_Z, COLON, NO_COLON, HOURS_ONLY }

    @Test
    void randomTimestampsInEveryShapeAgreeWithJavaTime() {
        Random random = new Random(20240501L);
        for (int i = 0; i < SAMPLES; i++) {
            long second = MIN_SECOND + (long) (random.nextDouble() * (MAX_SECOND - MIN_SECOND));
            int nano = random.nextInt(1_000_000_000);
            int digits = random.nextInt(10);
            OffsetStyle style = OffsetStyle.values()[random.nextInt(OffsetStyle.values().length)];
            ZoneOffset offset = switch (style) {
                case NONE, UPPER_Z, LOWER_Z -> ZoneOffset.UTC;
                case COLON, NO_COLON -> ZoneOffset.ofTotalSeconds((random.nextInt(18 * 4 * 2 + 1) - 18 * 4) * 15 * 60);
                case HOURS_ONLY -> ZoneOffset.ofHours(random.nextInt(37) - 18);
            };
            char separator = "Tt ".charAt(random.nextInt(3));
            // the instant the text denotes: the fraction is cut to the digits written
            int writtenNano = nano - nano % pow10(9 - digits);
            LocalDateTime local = LocalDateTime.ofEpochSecond(second, writtenNano, offset);
            Instant expected = local.toInstant(offset);
            String text = format(local, digits, separator, style, offset);

            assertThat(micros(text)).as(text).isEqualTo(BatchBuilderTest.micros(expected));
            if (separator == 'T' && (style == OffsetStyle.UPPER_Z || style == OffsetStyle.COLON)) {
                // where java.time reads the shape itself, it must agree that the text means that instant
                assertThat(OffsetDateTime.parse(text).toInstant()).as(text).isEqualTo(expected);
            }
        }
    }

    @Test
    void randomDatesAgreeWithLocalDate() {
        Random random = new Random(7L);
        long minDay = LocalDate.of(1, 1, 1).toEpochDay();
        long maxDay = LocalDate.of(9999, 12, 31).toEpochDay();
        for (int i = 0; i < SAMPLES; i++) {
            LocalDate date = LocalDate.ofEpochDay(minDay + (long) (random.nextDouble() * (maxDay - minDay + 1)));
            String text = "%04d-%02d-%02d".formatted(date.getYear(), date.getMonthValue(), date.getDayOfMonth());

            assertThat(epochDay(text)).as(text).isEqualTo(date.toEpochDay());
            assertThat(epochDay(text + "T23:59:59Z")).as(text).isEqualTo(date.toEpochDay());
            assertThat(micros(text)).as(text)
                    .isEqualTo(BatchBuilderTest.micros(date.atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
    }

    @Test
    void randomTimesAgreeWithLocalTime() {
        Random random = new Random(11L);
        for (int i = 0; i < SAMPLES; i++) {
            long nanoOfDay = (long) (random.nextDouble() * 86_400_000_000_000L);
            int digits = random.nextInt(10);
            LocalTime time = LocalTime.ofNanoOfDay(nanoOfDay);
            LocalTime written = time.withNano(time.getNano() - time.getNano() % pow10(9 - digits));
            String text = "%02d:%02d:%02d".formatted(time.getHour(), time.getMinute(), time.getSecond())
                    + fraction(time.getNano(), digits);

            assertThat(timeOfDay(text)).as(text).isEqualTo(written.toNanoOfDay() / 1000);
            assertThat(timeOfDay(text)).as(text).isEqualTo(LocalTime.parse(text).toNanoOfDay() / 1000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-30", "2023-02-29", "1900-02-29", "2023-04-31", "2023-06-31", "2023-13-01",
        "2023-00-10", "2023-01-00", "2023-01-32"})
    void impossibleCalendarDatesAreRejected(String date) {
        assertThatThrownBy(() -> epochDay(date)).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> micros(date)).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> micros(date + "T00:00:00Z")).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> micros(date + " 12:30:00.5+02:00")).isInstanceOf(DateTimeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29", "2000-02-29", "1600-02-29", "2023-01-31", "2023-12-31", "2023-04-30"})
    void lastDaysOfMonthsAreAccepted(String date) {
        assertThat(epochDay(date)).isEqualTo(LocalDate.parse(date).toEpochDay());
        assertThat(micros(date + "T00:00:00Z"))
                .isEqualTo(BatchBuilderTest.micros(LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a timestamp", "2024-05-01T25:00:00Z", "2024-05-01T12:60:00Z",
        "2024-05-01T12:30:00+2", "2024-05-01T12:30:00+02:0", "2024-05-01X12:30:00Z",
        "2024-5-1T12:30:00Z", "2024-05-01T12:30:00 UTC", "2024-05-01T12:30:00Zjunk", "20240501T123000Z"})
    void malformedTimestampsAreRejected(String text) {
        assertThatThrownBy(() -> micros(text)).isInstanceOf(DateTimeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12", "24:00:00", "12:60:00", "12:30:61", "12-30-00", "noon"})
    void malformedTimesAreRejected(String text) {
        assertThatThrownBy(() -> timeOfDay(text)).isInstanceOf(DateTimeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12:30:00 garbage", "01:30:00 PM", "12:30:00.5xyz"})
    void timesWithTrailingTextAreRejected(String text) {
        assertThatThrownBy(() -> timeOfDay(text)).isInstanceOf(DateTimeException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-01-01T12:00:60Z", "2024-01-01T12:00:00+25:00", "2024-01-01T12:00:00+01:99"})
    void timestampsJavaTimeRejectsAreRejected(String text) {
        assertThatThrownBy(() -> OffsetDateTime.parse(text)).isInstanceOf(DateTimeException.class);
        assertThatThrownBy(() -> micros(text)).isInstanceOf(DateTimeException.class);
    }

    @Test
    void fastPathAndFallbackAgreeBeforeTheEpoch() {
        assertThat(micros("1969-12-31T23:59:59.9999995+00:00:00")).isEqualTo(micros("1969-12-31T23:59:59.9999995Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-01T12:30Z", "2024-05-01T12:30:00+01:00:30", "2024-05-01T12:30:00.5-00:30:15"})
    void shapesOutsideTheFastPathFallBackToJavaTime(String text) {
        assertThat(micros(text)).isEqualTo(BatchBuilderTest.micros(OffsetDateTime.parse(text).toInstant()));
    }

    @Test
    void fractionDigitsBeyondMicrosAreTruncated() {
        assertThat(micros("2024-05-01T12:30:00.1234569Z")).isEqualTo(micros("2024-05-01T12:30:00.123456Z"));
        assertThat(timeOfDay("12:30:00.9999999")).isEqualTo(timeOfDay("12:30:00.999999"));
    }

    private static String format(LocalDateTime local, int digits, char separator, OffsetStyle style, ZoneOffset offset) {
        StringBuilder sb = new StringBuilder();
        sb.append("%04d-%02d-%02d".formatted(local.getYear(), local.getMonthValue(), local.getDayOfMonth()));
        sb.append(separator);
        sb.append("%02d:%02d:%02d".formatted(local.getHour(), local.getMinute(), local.getSecond()));
        sb.append(fraction(local.getNano(), digits));
        int total = offset.getTotalSeconds();
        String sign = total < 0 ? "-" : "+";
        int hours = Math.abs(total) / 3600;
        int minutes = Math.abs(total) / 60 % 60;
        switch (style) {
            case NONE -> { }
            case UPPER_Z -> sb.append('Z');
            case LOWER_Z -> sb.append('z');
            case COLON -> sb.append("%s%02d:%02d".formatted(sign, hours, minutes));
            case NO_COLON -> sb.append("%s%02d%02d".formatted(sign, hours, minutes));
            case HOURS_ONLY -> sb.append("%s%02d".formatted(sign, hours));
        }
        return sb.toString();
    }

    /** ".ddd" with the first {@code digits} digits of the nanosecond field, or nothing for 0 digits. */
    private static String fraction(int nano, int digits) {
        return digits == 0 ? "" : "." + "%09d".formatted(nano).substring(0, digits);
    }

    private static int pow10(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    private static long micros(String text) {
        return Iso8601.timestampMicros(text.toCharArray(), 0, text.length());
    }

    private static long epochDay(String text) {
        return Iso8601.epochDay(text.toCharArray(), 0, text.length());
    }

    private static long timeOfDay(String text) {
        return Iso8601.timeOfDayMicros(text.toCharArray(), 0, text.length());
    }
}
