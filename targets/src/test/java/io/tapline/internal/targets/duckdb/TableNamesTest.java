package io.tapline.internal.targets.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.spi.StreamName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TableNamesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "users|users",
            "public-users|public_users",
            "Public-Users.v2|public_users_v2",
            "my_db-table with space and UPPERCase|my_db_table_with_space_and_uppercase",
            "TestCamelcase|testcamelcase",
            "2024 orders|_2024_orders",
            "Καλημέρα|________",
    })
    void lowerCasesAndReplacesEverythingOutsideAsciiWordCharacters(String stream, String table) {
        assertThat(TableNames.forStream(StreamName.of(stream))).isEqualTo(table);
    }
}
