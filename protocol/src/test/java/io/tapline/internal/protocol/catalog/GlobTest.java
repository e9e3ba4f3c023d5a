package io.tapline.internal.protocol.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Glob} against CPython 3.11's {@code fnmatch.fnmatchcase} (the expected column is what it
 * returned for each pair), for the syntax CASES.md's rules allow beyond {@code *}: {@code ?} and sets.
 */
class GlobTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', value = {
        "users*      | users.id  | true",    // * crosses dots (R39)
        "user?       | users     | true",
        "user?       | user      | false",
        "[ab]x       | bx        | true",
        "[!ab]x      | bx        | false",
        "[!ab]x      | cx        | true",
        "[a-c]       | b         | true",
        "[c-a]x      | bx        | false",   // an empty range matches nothing
        "[]]         | ]         | true",    // a leading ] is in the set
        "[!]]        | a         | true",
        "[a-]        | -         | true",    // a trailing - is a literal
        "[            | [         | true",   // an unclosed [ is a literal
        "a[&&b]      | a&        | true",    // Java set operators are literals
        "[[]         | [         | true",
        "Users       | users     | false",   // case-sensitive, as on Linux and macOS
        "a.b         | aXb       | false",   // . is a literal
        "*.*.hash    | payload.x.hash | true",
    })
    void matchesAsPythonFnmatchcase(String glob, String text, boolean expected) {
        assertThat(Glob.matches(glob.strip(), text)).isEqualTo(expected);
    }
}
