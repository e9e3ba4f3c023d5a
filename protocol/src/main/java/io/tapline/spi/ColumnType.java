package io.tapline.spi;


import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** The column types a JSON Schema property maps to; targets map these to their own types. */
public enum ColumnType {
    BIGINT(new ArrowType.Int(64, true)),
    DOUBLE(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
    BOOLEAN(ArrowType.Bool.INSTANCE),
    VARCHAR(ArrowType.Utf8.INSTANCE),
    /** An instant, stored as microseconds since the epoch in UTC. */
    TIMESTAMPTZ(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
    DATE(new ArrowType.Date(DateUnit.DAY)),
    TIME(new ArrowType.Time(TimeUnit.MICROSECOND, 64)),
    /** Objects, arrays, untyped and mixed values: compact JSON text in a UTF-8 vector. */
    JSON(ArrowType.Utf8.INSTANCE);

    private final ArrowType arrowType;

    ColumnType(ArrowType arrowType) {
        this.arrowType = arrowType;
    }

    public ArrowType arrowType() { return arrowType; }
}
