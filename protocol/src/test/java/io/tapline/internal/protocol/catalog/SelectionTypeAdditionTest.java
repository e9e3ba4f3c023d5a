package io.tapline.internal.protocol.catalog;

import static io.tapline.internal.protocol.catalog.SelectionType.AUTOMATIC;
import static io.tapline.internal.protocol.catalog.SelectionType.EXCLUDED;
import static io.tapline.internal.protocol.catalog.SelectionType.SELECTED;
import static io.tapline.internal.protocol.catalog.SelectionType.UNSUPPORTED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Meltano's {@code TestSelectionType::test_selection_type_addition} (CASES.md 1.7, SelectionType algebra). */
class SelectionTypeAdditionTest {
    @Test
    void combiningSelectionsFollowsMeltano() {
        assertThat(EXCLUDED.plus(EXCLUDED)).isEqualTo(EXCLUDED);
        assertThat(SELECTED.plus(EXCLUDED)).isEqualTo(EXCLUDED);
        assertThat(AUTOMATIC.plus(EXCLUDED)).isEqualTo(EXCLUDED);
        assertThat(SELECTED.plus(AUTOMATIC)).isEqualTo(AUTOMATIC);
        assertThat(SELECTED.plus(SELECTED)).isEqualTo(SELECTED);
        assertThat(UNSUPPORTED.plus(UNSUPPORTED)).isEqualTo(UNSUPPORTED);
    }

    @Test
    void unsupportedPropertyOfASelectedStreamListsAsUnsupported() { // Y6: "[unsupported] users.secret"
        assertThat(SELECTED.plus(UNSUPPORTED)).isEqualTo(UNSUPPORTED);
    }
}
