package io.tapline.internal.targets.jsonl;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tapline.spi.ColumnType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;

/** One Arrow value as JSON, by the column's {@link ColumnType}. */
final class JsonValues {
    private JsonValues() {}

    static void write(JsonGenerator g, ColumnType type, FieldVector vector, int row) throws IOException {
        if (vector.isNull(row)) {
            g.writeNull();
            return;
        }
        switch (type) {
            case BIGINT -> g.writeNumber(((BigIntVector) vector).get(row));
            case DOUBLE -> g.writeNumber(((Float8Vector) vector).get(row));
            case BOOLEAN -> g.writeBoolean(((BitVector) vector).get(row) != 0);
            case VARCHAR -> {
                byte[] utf8 = ((VarCharVector) vector).get(row);
                g.writeUTF8String(utf8, 0, utf8.length);
            }
            case JSON -> g.writeRawValue(new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8));
            case TIMESTAMPTZ -> {
                long micros = ((TimeStampVector) vector).get(row);
                g.writeString(DateTimeFormatter.ISO_INSTANT.format(
                        Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000)));
            }
            case DATE -> g.writeString(LocalDate.ofEpochDay(((DateDayVector) vector).get(row)).toString());
            case TIME -> g.writeString(DateTimeFormatter.ISO_LOCAL_TIME.format(
                    LocalTime.ofNanoOfDay(((TimeMicroVector) vector).get(row) * 1000)));
        }
    }
}
