package io.tapline.internal.protocol.catalog;

import static io.tapline.internal.protocol.catalog.MeltanoCatalogs.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CASES.md 1.7: {@code test_catalog.py::TestCatalogSelectVisitor::test_node_selection}. */
class SelectionTypeTest {

    // N1-N9: inclusion first, then selected, then selected-by-default only when selected is absent
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "N1 | {\"breadcrumb\": [\"properties\", \"a\"], \"metadata\": {\"selected\": true}}                                 | SELECTED",
        "N2 | {\"breadcrumb\": [\"properties\", \"a\"], \"metadata\": {\"selected\": false}}                                | EXCLUDED",
        "N3 | {\"breadcrumb\": [\"properties\", \"a\"], \"metadata\": {\"inclusion\": \"automatic\"}}                        | AUTOMATIC",
        "N4 | {\"breadcrumb\": [\"properties\", \"a\"], \"metadata\": {\"inclusion\": \"unsupported\"}}                      | UNSUPPORTED",
        "N5 | {\"breadcrumb\": [\"properties\", \"a\"], \"metadata\": {\"inclusion\": \"available\"}}                        | EXCLUDED",
        "N6 | {\"breadcrumb\": [\"properties\", \"a\"], \"metadata\": {\"selected\": true, \"inclusion\": \"available\"}}    | SELECTED",
        "N7 | {\"breadcrumb\": [\"properties\", \"a\"], \"metadata\": {\"selected\": false, \"selected-by-default\": true}} | EXCLUDED",
        "N8 | {\"breadcrumb\": [\"properties\", \"a\"], \"metadata\": {\"selected-by-default\": true}}                      | SELECTED",
        "N9 | {\"breadcrumb\": [\"properties\", \"a\"]}                                                                     | EXCLUDED",
    })
    void inclusionThenSelectedThenSelectedByDefaultDecideTheSelection(String id, String node, SelectionType expected) {
        assertThat(SelectionType.of(json(node))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"SELECTED, true, selected", "AUTOMATIC, true, automatic", "EXCLUDED, false, excluded",
        "UNSUPPORTED, false, unsupported"})
    void onlySelectedAndAutomaticCountAsSelectedAndPrintLowercase(SelectionType type, boolean selected, String text) {
        // SelectionType.__bool__ and test_selection_type_repr (1.7, prose under N9)
        assertThat(type.isSelected()).isEqualTo(selected);
        assertThat(type).hasToString(text);
    }
}
