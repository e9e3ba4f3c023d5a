package io.tapline.internal.protocol.arrow;

import io.tapline.spi.StreamSchema;
import io.tapline.spi.Column;
import io.tapline.spi.ColumnType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tapline.spi.ErrorCode;
import io.tapline.spi.ProtocolException;
import io.tapline.internal.protocol.SingerScan;
import io.tapline.spi.StreamName;
import io.tapline.internal.protocol.singer.JsonSchema;
import io.tapline.internal.protocol.singer.SchemaMessage;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonSchemaToArrowTest {

    static Stream<Arguments> propertySchemas() {
        return Stream.of(
                Arguments.of("{\"type\":\"integer\"}", ColumnType.BIGINT),
                Arguments.of("{\"type\":[\"null\",\"integer\"]}", ColumnType.BIGINT),
                Arguments.of("{\"type\":\"number\"}", ColumnType.DOUBLE),
                Arguments.of("{\"type\":[\"integer\",\"number\"]}", ColumnType.DOUBLE),
                Arguments.of("{\"type\":[\"null\",\"number\",\"integer\"]}", ColumnType.DOUBLE),
                Arguments.of("{\"type\":\"boolean\"}", ColumnType.BOOLEAN),
                Arguments.of("{\"type\":[\"boolean\",\"null\"]}", ColumnType.BOOLEAN),
                Arguments.of("{\"type\":\"string\"}", ColumnType.VARCHAR),
                Arguments.of("{\"type\":[\"null\",\"string\"]}", ColumnType.VARCHAR),
                Arguments.of("{\"type\":\"string\",\"format\":\"email\"}", ColumnType.VARCHAR),
                Arguments.of("{\"type\":\"string\",\"format\":\"date-time\"}", ColumnType.TIMESTAMPTZ),
                Arguments.of("{\"type\":[\"null\",\"string\"],\"format\":\"date-time\"}", ColumnType.TIMESTAMPTZ),
                Arguments.of("{\"type\":\"string\",\"format\":\"date\"}", ColumnType.DATE),
                Arguments.of("{\"type\":\"string\",\"format\":\"time\"}", ColumnType.TIME),
                Arguments.of("{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"string\",\"format\":\"date-time\"}]}",
                        ColumnType.TIMESTAMPTZ),
                Arguments.of("{\"anyOf\":[{\"type\":\"string\",\"format\":\"date-time\"},{\"type\":\"null\"}]}",
                        ColumnType.TIMESTAMPTZ),
                Arguments.of("{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"null\"}]}", ColumnType.BIGINT),
                // a plain-string branch next to the date-time one: not every value is a timestamp
                Arguments.of("{\"anyOf\":[{\"type\":\"string\",\"format\":\"date-time\"},{\"type\":[\"string\",\"null\"]}]}",
                        ColumnType.VARCHAR),
                Arguments.of("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}", ColumnType.VARCHAR),
                Arguments.of("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"},{\"type\":\"null\"}]}",
                        ColumnType.VARCHAR),
                Arguments.of("{\"type\":[\"string\",\"integer\"]}", ColumnType.VARCHAR),
                Arguments.of("{\"type\":[\"boolean\",\"number\"]}", ColumnType.VARCHAR),
                Arguments.of("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}", ColumnType.JSON),
                Arguments.of("{\"type\":[\"object\",\"null\"]}", ColumnType.JSON),
                Arguments.of("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}", ColumnType.JSON),
                Arguments.of("{\"anyOf\":[{\"type\":\"array\"},{\"type\":\"string\"},{\"type\":\"null\"}]}",
                        ColumnType.JSON),
                Arguments.of("{\"type\":[\"string\",\"number\",\"integer\",\"array\",\"object\",\"boolean\",\"null\"]}",
                        ColumnType.JSON),
                Arguments.of("{}", ColumnType.JSON),
                Arguments.of("{\"description\":\"anything\"}", ColumnType.JSON),
                Arguments.of("{\"type\":\"null\"}", ColumnType.JSON),
                Arguments.of("{\"anyOf\":[{\"type\":\"string\"},{}]}", ColumnType.JSON));
    }

    @ParameterizedTest
    @MethodSource("propertySchemas")
    void propertySchemaMapsToColumnType(String schema, ColumnType expected) {
        assertThat(JsonSchemaToArrow.columnType(SingerScan.tree(schema))).isEqualTo(expected);
    }

    @Test
    void columnsKeepSchemaOrderNamesAndKeys() {
        StreamSchema schema = JsonSchemaToArrow.convert(message("{\"type\":\"object\",\"properties\":{"
                + "\"zeta\":{\"type\":\"integer\"},\"Alpha\":{\"type\":\"string\"},\"agent:os\":{\"type\":\"boolean\"},"
                + "\"when\":{\"type\":\"string\",\"format\":\"date-time\"}}}", "zeta", "Alpha"), 1);

        assertThat(schema.stream()).isEqualTo(StreamName.of("s"));
        assertThat(schema.columns()).containsExactly(
                new Column("zeta", ColumnType.BIGINT),
                new Column("Alpha", ColumnType.VARCHAR),
                new Column("agent:os", ColumnType.BOOLEAN),
                new Column("when", ColumnType.TIMESTAMPTZ));
        assertThat(schema.keyProperties()).containsExactly("zeta", "Alpha");
        assertThat(schema.hasKeys()).isTrue();
    }

    @Test
    void arrowSchemaHasOneNullableFieldPerColumnAndMarksJson() {
        StreamSchema schema = JsonSchemaToArrow.convert(message("{\"properties\":{"
                + "\"id\":{\"type\":\"integer\"},\"ts\":{\"type\":\"string\",\"format\":\"date-time\"},"
                + "\"day\":{\"type\":\"string\",\"format\":\"date\"},\"at\":{\"type\":\"string\",\"format\":\"time\"},"
                + "\"doc\":{\"type\":\"object\"}}}"), 1);

        Schema arrow = schema.arrowSchema();

        assertThat(arrow.getFields()).extracting(Field::getName).containsExactly("id", "ts", "day", "at", "doc");
        assertThat(arrow.getFields()).allSatisfy(f -> assertThat(f.isNullable()).isTrue());
        assertThat(arrow.findField("id").getType()).isEqualTo(new ArrowType.Int(64, true));
        assertThat(arrow.findField("ts").getType()).isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
        assertThat(arrow.findField("at").getType()).isEqualTo(new ArrowType.Time(TimeUnit.MICROSECOND, 64));
        assertThat(arrow.findField("doc").getType()).isEqualTo(ArrowType.Utf8.INSTANCE);
        assertThat(arrow.findField("doc").getMetadata()).isEqualTo(Map.of(StreamSchema.TYPE_METADATA_KEY, "json"));
        assertThat(arrow.findField("id").getMetadata()).isEmpty();
    }

    @Test
    void schemaWithoutKeysHasNone() {
        StreamSchema schema = JsonSchemaToArrow.convert(message("{\"properties\":{\"a\":{\"type\":\"string\"}}}"), 1);

        assertThat(schema.hasKeys()).isFalse();
    }

    @Test
    void schemaWithoutPropertiesFailsAsInvalidSchema() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> JsonSchemaToArrow.convert(message("{\"type\":\"object\"}"), 7));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SCHEMA);
        assertThat(e.stream()).contains(StreamName.of("s"));
        assertThat(e.lineNumber()).isEqualTo(7);
        assertThat(e.getMessage()).isEqualTo("line 7: SCHEMA for stream 's' has no \"properties\" object");
    }

    @Test
    void schemaWhosePropertiesAreNotAnObjectFailsAsInvalidSchema() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> JsonSchemaToArrow.convert(message("{\"type\":\"object\",\"properties\":[\"a\"]}"), 2));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SCHEMA);
    }

    @Test
    void keyPropertyNotInTheSchemaFailsAsInvalidSchema() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> JsonSchemaToArrow.convert(message("{\"properties\":{\"a\":{\"type\":\"integer\"}}}", "a", "b"), 3));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_SCHEMA);
        assertThat(e.stream()).contains(StreamName.of("s"));
        assertThat(e.lineNumber()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("line 3: key property 'b' of stream 's' is not in its schema");
    }

    private static SchemaMessage message(String schema, String... keys) {
        return new SchemaMessage(StreamName.of("s"), new JsonSchema(SingerScan.tree(schema)), List.of(keys), List.of());
    }
}
