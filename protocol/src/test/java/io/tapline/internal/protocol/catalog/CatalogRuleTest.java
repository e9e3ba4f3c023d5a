package io.tapline.internal.protocol.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CASES.md 1.2: {@code test_catalog.py::TestCatalogRule}. {@code match(id)} leaves the breadcrumb out
 * (Python's {@code breadcrumb=None}); {@code match(id, bc)} checks it.
 */
class CatalogRuleTest {

    @Test
    void plainRuleMatchesItsStreamAndOnlyTheStreamNode() { // R1-R4, test_match
        CatalogRule rule = new CatalogRule("tap_stream_id", List.of(), false);

        assertThat(rule.matches("tap_stream_id")).isTrue();                            // R1
        assertThat(rule.matches("tap_stream_id", List.of())).isTrue();                 // R2
        assertThat(rule.matches("tap_stream_id", List.of("property"))).isFalse();      // R3
        assertThat(rule.matches("tap_stream")).isFalse();                              // R4
    }

    @Test
    void wildcardStreamPatternMatchesAnySuffixIncludingNone() { // R5-R8, test_match_wildcard
        CatalogRule rule = new CatalogRule("tap_stream*", List.of(), false);

        assertThat(rule.matches("tap_stream_id")).isTrue();    // R5
        assertThat(rule.matches("tap_stream_foo")).isTrue();   // R6
        assertThat(rule.matches("tap_stream")).isTrue();       // R7
        assertThat(rule.matches("tap_strea")).isFalse();       // R8
    }

    @Test
    void severalStreamPatternsMatchWhenAnyDoes() { // R9-R14, test_match_multiple
        CatalogRule rule = new CatalogRule(List.of("tap_stream_id", "other*"), List.of(), false);

        assertThat(rule.matches("tap_stream_id")).isTrue();   // R9
        assertThat(rule.matches("other_stream")).isTrue();    // R10
        assertThat(rule.matches("other_foo")).isTrue();       // R11
        assertThat(rule.matches("other")).isTrue();           // R12
        assertThat(rule.matches("tap_stream")).isFalse();     // R13
        assertThat(rule.matches("not-a-match")).isFalse();    // R14
    }

    @Test
    void negatedRuleMatchesOtherStreamsButStillNeedsTheBreadcrumb() { // R15-R20, test_match_negated
        CatalogRule rule = new CatalogRule("tap_stream_id", List.of(), true);

        assertThat(rule.matches("tap_stream")).isTrue();                              // R15
        assertThat(rule.matches("tap_stream", List.of())).isTrue();                   // R16
        assertThat(rule.matches("tap_stream_id")).isFalse();                          // R17
        assertThat(rule.matches("tap_stream_id", List.of())).isFalse();               // R18
        assertThat(rule.matches("tap_stream_id", List.of("property"))).isFalse();     // R19
        assertThat(rule.matches("tap_stream", List.of("property"))).isFalse();        // R20
    }

    @Test
    void negatedWildcardMatchesOnlyStreamsOutsideTheGlob() { // R21-R24, test_match_negated_wildcard
        CatalogRule rule = new CatalogRule("tap_stream*", List.of(), true);

        assertThat(rule.matches("tap_strea")).isTrue();        // R21
        assertThat(rule.matches("tap_stream_id")).isFalse();   // R22
        assertThat(rule.matches("tap_stream_foo")).isFalse();  // R23
        assertThat(rule.matches("tap_stream")).isFalse();      // R24
    }

    @Test
    void negatedMultipleMatchesStreamsThatMatchNoPattern() { // R25-R30, test_match_negated_multiple
        CatalogRule rule = new CatalogRule(List.of("tap_stream_id", "other*"), List.of(), true);

        assertThat(rule.matches("tap_stream")).isTrue();       // R25
        assertThat(rule.matches("not-a-match")).isTrue();      // R26
        assertThat(rule.matches("tap_stream_id")).isFalse();   // R27
        assertThat(rule.matches("other_stream")).isFalse();    // R28
        assertThat(rule.matches("other_foo")).isFalse();       // R29
        assertThat(rule.matches("other")).isFalse();           // R30
    }

    @Test
    void breadcrumbRuleMatchesExactlyThatBreadcrumb() { // R31-R34, test_match_breadcrumb
        CatalogRule rule = new CatalogRule("tap_stream_id", List.of("property"), false);

        assertThat(rule.matches("tap_stream_id")).isTrue();                                     // R31
        assertThat(rule.matches("tap_stream_id", List.of("property"))).isTrue();                // R32
        assertThat(rule.matches("tap_stream_id", List.of())).isFalse();                         // R33
        assertThat(rule.matches("tap_stream_id", List.of("property", "nested"))).isFalse();     // R34
    }

    @Test
    void wildcardBreadcrumbSpansNestingLevels() { // R35-R41, test_match_wildcard_breadcrumb
        CatalogRule rule = new CatalogRule("tap_stream_id", List.of("proper*"), false);

        assertThat(rule.matches("tap_stream_id")).isTrue();                                  // R35
        assertThat(rule.matches("tap_stream_id", List.of("property"))).isTrue();             // R36
        assertThat(rule.matches("tap_stream_id", List.of("proper_foo"))).isTrue();           // R37
        assertThat(rule.matches("tap_stream_id", List.of("proper"))).isTrue();               // R38
        assertThat(rule.matches("tap_stream_id", List.of("property", "bar"))).isTrue();      // R39: * spans the .
        assertThat(rule.matches("tap_stream_id", List.of())).isFalse();                      // R40
        assertThat(rule.matches("tap_stream_id", List.of("other"))).isFalse();               // R41
    }

    @Test
    void negatedBreadcrumbRuleMatchesOtherStreamsAtThatBreadcrumbOnly() { // R42-R45, test_match_negated_breadcrumb
        CatalogRule rule = new CatalogRule("tap_stream_id", List.of("property"), true);

        assertThat(rule.matches("tap_stream")).isTrue();                                    // R42
        assertThat(rule.matches("tap_stream", List.of("property"))).isTrue();               // R43
        assertThat(rule.matches("tap_stream", List.of())).isFalse();                        // R44
        assertThat(rule.matches("tap_stream", List.of("property", "nested"))).isFalse();    // R45
    }
}
