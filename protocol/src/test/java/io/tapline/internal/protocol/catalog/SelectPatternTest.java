package io.tapline.internal.protocol.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CASES.md 1.1: {@code test_catalog.py::TestSelectPattern::test_parse}. */
class SelectPatternTest {

    // S1-S6; an empty CSV column is Python's None
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "S1 | users     | users |    | false",
        "S2 | users.id  | users | id | false",
        "S3 | users.*   | users | *  | false",
        "S4 | !users    | users |    | true",
        "S5 | !users.*  | users | *  | true",
        "S6 | !users.id | users | id | true",
    })
    void leadingBangNegatesAndFirstDotSplitsStreamFromProperty(String id, String input, String stream,
            String property, boolean negated) {
        SelectPattern p = SelectPattern.parse(input);

        assertThat(p).isEqualTo(new SelectPattern(stream, Optional.ofNullable(property), negated, input));
    }

    @Test
    void escapedDotIsPartOfTheStreamAndLaterDotsStayInTheProperty() {
        // the source rule under 1.1 (SelectPattern.parse); M3 and V3 rely on it
        assertThat(SelectPattern.parse("a.b.c"))
                .isEqualTo(new SelectPattern("a", Optional.of("b.c"), false, "a.b.c"));
        assertThat(SelectPattern.parse("!my\\.stream.prop"))
                .isEqualTo(new SelectPattern("my.stream", Optional.of("prop"), true, "!my\\.stream.prop"));
    }
}
