package io.tapline.internal.state.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.ConfigException;
import io.tapline.spi.Secret;
import io.tapline.spi.StateBackendConfig;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The add-on's URI and {@code state_backend.postgresql.*} settings, and its advisory lock key. */
class PostgresSettingsTest {
    private static PostgresSettings parse(String uri, Map<String, String> settings) {
        return PostgresSettings.parse(new StateBackendConfig(URI.create(uri), settings, Map.of(), Path.of("/project"),
                StateBackendConfig.Lease.DEFAULT));
    }

    @Test
    void theUriGivesHostPortDatabaseAndCredentialsAndTheAddOnsDefaults() {
        PostgresSettings s = parse("postgresql://meltano:s%40cret@db.example:6543/warehouse", Map.of());
        assertThat(s.host()).isEqualTo("db.example");
        assertThat(s.port()).isEqualTo(6543);
        assertThat(s.database()).isEqualTo("warehouse");
        assertThat(s.user()).isEqualTo("meltano");
        assertThat(s.password()).contains(new Secret("s@cret"));
        assertThat(s.table()).isEqualTo("state");
        assertThat(s.schema()).isEmpty();
        assertThat(s.sslmode()).isEqualTo("prefer");
        assertThat(s.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/warehouse");
        assertThat(s.described()).doesNotContain("s%40cret").doesNotContain("meltano:");
    }

    @Test
    void settingsWinOverTheUriAsInTheAddOn() {
        PostgresSettings s = parse("postgresql://u:p@localhost/db?options=-csearch_path%3Dmy_schema", Map.of(
                "postgresql.user", "other", "postgresql.password", "pw2", "postgresql.host", "h2", "postgresql.port", "7777",
                "postgresql.database", "db2", "postgresql.schema", "s2", "postgresql.table", "t2",
                "postgresql.sslmode", "require"));
        assertThat(s.user()).isEqualTo("other");
        assertThat(s.password()).contains(new Secret("pw2"));
        assertThat(s.host()).isEqualTo("h2");
        assertThat(s.port()).isEqualTo(7777);
        assertThat(s.database()).isEqualTo("db2");
        assertThat(s.qualified(s.table())).isEqualTo("\"s2\".\"t2\"");
        assertThat(s.sslmode()).isEqualTo("require");
        assertThat(s.properties().getProperty("options")).isEqualTo("-csearch_path=my_schema");
    }

    @Test
    void aUriWithoutUserOrDatabaseIsRefusedWithoutItsPassword() {
        assertThatThrownBy(() -> parse("postgresql://localhost/db", Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no user");
        assertThatThrownBy(() -> parse("postgresql://u:topsecret@localhost", Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("no database").hasMessageNotContaining("topsecret");
    }

    @Test
    void driverMessagesLoseThePassword() {
        PostgresSettings s = parse("postgresql://u:hunter22@localhost/db", Map.of());
        assertThat(s.scrub("FATAL: bad hunter22")).isEqualTo("FATAL: bad ****");
    }

    @Test
    void theAdvisoryLockKeyIsTheAddOnsMd5Prefix() throws Exception {
        for (String id : new String[] {"dev:tap-x-to-target-y", "é:ü", ""}) {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(id.getBytes(StandardCharsets.UTF_8));
            long expected = new BigInteger(1, md5).shiftRight(64).longValue(); // the top 8 bytes, two's complement
            assertThat(PostgresStateBackend.lockKey(id)).as(id).isEqualTo(expected);
        }
    }

    @Test
    void identifiersAreQuoted() {
        assertThat(PostgresSettings.quote("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(parse("postgresql://u@h/d", Map.of()).qualified("state")).isEqualTo("\"state\"");
        assertThat(parse("postgresql://u@h/d", Map.of()).password()).isEqualTo(Optional.empty());
    }
}
