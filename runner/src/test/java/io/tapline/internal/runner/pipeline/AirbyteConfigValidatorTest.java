package io.tapline.internal.runner.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.spi.ConfigException;
import io.tapline.internal.runner.process.Secrets;
import io.tapline.internal.protocol.airbyte.AirbyteSpecMessage;
import org.junit.jupiter.api.Test;

class AirbyteConfigValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cr3t-Pa55-xyz";

    private static AirbyteSpecMessage spec() throws Exception {
        return new AirbyteSpecMessage(JSON.readTree("""
                {"connectionSpecification": {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                  "required": ["host", "port", "password"],
                  "properties": {
                    "host": {"type": "string"},
                    "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                    "password": {"type": "string", "airbyte_secret": true, "minLength": 64, "pattern": "^[a-z]+$"},
                    "mode": {"type": "string", "enum": ["a", "b"]},
                    "credentials": {"type": "object", "oneOf": [
                      {"properties": {"api_key": {"type": "string", "airbyte_secret": true}}, "required": ["api_key"]}
                    ]}
                  }}}
                """));
    }

    @Test
    void validConfigPasses() throws Exception {
        JsonNode config = JSON.readTree("{\"host\":\"h\",\"port\":5432,\"password\":\"" + "a".repeat(64) + "\"}");
        assertThat(AirbyteConfigValidator.problems(spec(), config)).isEmpty();
    }

    @Test
    void eachFailingFieldGetsItsOwnLine() throws Exception {
        JsonNode config = JSON.readTree("{\"port\":\"x\",\"password\":\"" + "a".repeat(64) + "\",\"mode\":\"c\"}");

        assertThat(AirbyteConfigValidator.problems(spec(), config))
                .anySatisfy(p -> assertThat(p).isEqualTo("field 'host': required but missing"))
                .anySatisfy(p -> assertThat(p).startsWith("field 'port'").contains("type"))
                .anySatisfy(p -> assertThat(p).startsWith("field 'mode'").contains("enum"));
        assertThatThrownBy(() -> AirbyteConfigValidator.validate("source-x", spec(), config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("source-x").hasMessageContaining("field 'port'").hasMessageContaining("field 'mode'");
    }

    @Test
    void secretValuesNeverAppearInProblems() throws Exception {
        JsonNode config = JSON.readTree("{\"host\":\"h\",\"port\":0,\"password\":\"" + SECRET + "\","
                + "\"credentials\":{\"api_key\":7}}");

        assertThatThrownBy(() -> AirbyteConfigValidator.validate("source-x", spec(), config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("field 'password'")
                .hasMessageContaining("field 'port'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("s3cr3t"));
        assertThat(Secrets.airbyte(spec().connectionSpecification(), config).mask("a " + SECRET + " b 7"))
                .isEqualTo("a **** b ****");
    }
}
