package io.tapline.internal.runner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapline.spi.StreamName;
import io.tapline.spi.Column;
import io.tapline.spi.ColumnType;
import io.tapline.spi.StreamSchema;
import io.tapline.internal.state.history.ColumnStats;
import io.tapline.internal.state.history.StreamRecord;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class StreamFiguresTest {
    private static final StreamName USERS = new StreamName("users");

    @Test
    void nullCountsAddUpOverBatchesAndASchemaChangeIsNoted() {
        StreamSchema v1 = new StreamSchema(USERS, List.of(new Column("id", ColumnType.BIGINT),
                new Column("email", ColumnType.VARCHAR)), List.of());
        StreamFigures f = new StreamFigures(v1);
        try (RootAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(v1.arrowSchema(), allocator)) {
            for (int batch = 0; batch < 2; batch++) {
                root.allocateNew();
                BigIntVector id = (BigIntVector) root.getVector("id");
                VarCharVector email = (VarCharVector) root.getVector("email");
                for (int i = 0; i < 4; i++) {
                    id.setSafe(i, i);
                    if (i % 2 == 0) {
                        email.setSafe(i, "x@y".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    } else {
                        email.setNull(i);
                    }
                }
                root.setRowCount(4);
                f.batch(root, 100);
            }
        }
        f.reopen(new StreamSchema(USERS, List.of(new Column("id", ColumnType.DOUBLE),
                new Column("email", ColumnType.VARCHAR), new Column("age", ColumnType.BIGINT)), List.of()));

        StreamRecord r = f.toRecord(List.of("removed column nick (VARCHAR)"));
        assertThat(r.rows()).isEqualTo(8);
        assertThat(r.bytes()).isEqualTo(200);
        assertThat(r.columns()).containsExactly(new ColumnStats("id", "DOUBLE", 0), new ColumnStats("email", "VARCHAR", 4),
                new ColumnStats("age", "BIGINT", 0));
        assertThat(r.schemaChanges()).containsExactly("column id changed type BIGINT -> DOUBLE",
                "added column age (BIGINT)", "since last successful run: removed column nick (VARCHAR)");
    }
}
