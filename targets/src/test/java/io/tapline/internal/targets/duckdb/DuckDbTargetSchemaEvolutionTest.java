package io.tapline.internal.targets.duckdb;

import io.tapline.internal.targets.testing.SingerFeed;
import static io.tapline.internal.targets.duckdb.DuckDbTargetTest.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tables follow their stream's SCHEMA as target-duckdb's do (jwills/target-duckdb test_column_name_change): a changed
 * type keeps the old values under a versioned column, upserts leave columns the new schema lacks alone, and
 * {@code hard_delete} removes rows whose {@code _sdc_deleted_at} is set.
 */
class DuckDbTargetSchemaEvolutionTest {
    private static final String VERSIONED = "^c_date_\\d{8}_\\d{4}(_\\d+)?$";

    @TempDir
    Path dir;

    private RootAllocator allocator;
    private Path db;

    @BeforeEach
    void setUp() {
        allocator = new RootAllocator();
        db = dir.resolve("warehouse.duckdb");
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    @Test
    void changedTypeKeepsOldValuesUnderAVersionedColumnBesideANewOne() throws Exception {
        load(dateSchema("\"format\":\"date-time\","), dateRecord(1, "2019-02-01 15:12:45"),
                dateRecord(2, "2019-02-10 02:00:00"));
        load(dateSchema(""), dateRecord(2, "2019-02-12 02:00:00"), dateRecord(3, "2019-02-15 02:00:00"));

        List<List<Object>> columns = Db.rows(db, "SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_name = 'two' ORDER BY ordinal_position");
        assertThat(columns).hasSize(3);
        assertThat(columns.get(0)).containsExactly("c_pk", "BIGINT");
        assertThat((String) columns.get(1).get(0)).matches(VERSIONED);
        assertThat(columns.get(1).get(1)).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(columns.get(2)).containsExactly("c_date", "VARCHAR");
        // pk 2 was updated by the second load: its old timestamp stays in the versioned column
        assertThat(Db.rows(db, "SELECT c_pk, strftime(COLUMNS('^c_date_') AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M'), c_date "
                + "FROM two ORDER BY c_pk")).containsExactly(
                Arrays.asList(1L, "2019-02-01 15:12", null),
                Arrays.asList(2L, "2019-02-10 02:00", "2019-02-12 02:00:00"),
                Arrays.asList(3L, null, "2019-02-15 02:00:00"));
    }

    @Test
    void typeChangingTwiceGetsTwoVersionedColumnsAndAChangeInsideOneTransactionWorks() throws Exception {
        try (DuckDbTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1000)) {
            feed.lines(dateSchema("\"format\":\"date-time\","), dateRecord(1, "2019-02-01 15:12:45"),
                    dateSchema(""), dateRecord(2, "text"),
                    dateSchema("\"format\":\"date\","), dateRecord(3, "2019-02-03")).endBatches();
            target.flush(); // one transaction: rows inserted before each rename
        }

        assertThat(Db.rows(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'two' "
                + "AND column_name LIKE 'c_date_%' ORDER BY ordinal_position"))
                .hasSize(2).allSatisfy(row -> assertThat((String) row.get(0)).matches(VERSIONED));
        assertThat(Db.rows(db, "SELECT c_pk, c_date::VARCHAR FROM two ORDER BY c_pk")).containsExactly(
                Arrays.asList(1L, null), Arrays.asList(2L, null), Arrays.asList(3L, "2019-02-03"));
    }

    @Test
    void integerColumnThatBecomesANumberIsWidenedInPlace() throws Exception {
        load(amountSchema("integer"), record("amounts", "{\"id\":1,\"amount\":5}"));
        load(amountSchema("number"), record("amounts", "{\"id\":2,\"amount\":2.5}"));

        assertThat(Db.rows(db, "SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_name = 'amounts' ORDER BY ordinal_position"))
                .containsExactly(List.of("id", "BIGINT"), List.of("amount", "DOUBLE"));
        assertThat(Db.rows(db, "SELECT id, amount FROM amounts ORDER BY id"))
                .containsExactly(List.of(1L, 5.0), List.of(2L, 2.5));
    }

    @Test
    void tableTaplineDidNotCreateKeepsItsColumnsWhenTheTypeChanges() throws Exception {
        try (Connection c = Db.connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE amounts (id BIGINT, amount VARCHAR)");
        }
        load(amountSchema("integer"), record("amounts", "{\"id\":1,\"amount\":5}"));

        assertThat(Db.rows(db, "SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_name = 'amounts' ORDER BY ordinal_position"))
                .containsExactly(List.of("id", "BIGINT"), List.of("amount", "VARCHAR"));
        assertThat(Db.rows(db, "SELECT id, amount FROM amounts")).containsExactly(List.of(1L, "5"));
    }

    @Test
    void upsertLeavesColumnsTheNewSchemaLacksAlone() throws Exception {
        load("""
                {"type":"SCHEMA","stream":"people","key_properties":["id"],"schema":{"properties":{\
                "id":{"type":"integer"},"name":{"type":"string"},"nick":{"type":"string"}}}}""",
                record("people", "{\"id\":1,\"name\":\"Ann\",\"nick\":\"A\"}"),
                record("people", "{\"id\":2,\"name\":\"Bob\",\"nick\":\"B\"}"));
        load("""
                {"type":"SCHEMA","stream":"people","key_properties":["id"],"schema":{"properties":{\
                "id":{"type":"integer"},"name":{"type":"string"}}}}""",
                record("people", "{\"id\":2,\"name\":\"Bobby\"}"), record("people", "{\"id\":2,\"name\":\"Robert\"}"),
                record("people", "{\"id\":3,\"name\":\"Cy\"}"));

        assertThat(Db.rows(db, "SELECT id, name, nick FROM people ORDER BY id")).containsExactly(
                Arrays.asList(1L, "Ann", "A"), Arrays.asList(2L, "Robert", "B"), Arrays.asList(3L, "Cy", null));
    }

    @Test
    void hardDeleteRemovesRowsWhoseDeletedAtIsSetAndKeepLoadsThem() throws Exception {
        String[] lines = {"""
                {"type":"SCHEMA","stream":"items","key_properties":["cid"],"schema":{"properties":{\
                "cid":{"type":"integer"},"cvarchar":{"type":["null","string"]},\
                "_sdc_deleted_at":{"type":["null","string"],"format":"date-time"}}}}""",
                record("items", "{\"cid\":1,\"cvarchar\":\"a\",\"_sdc_deleted_at\":null}"),
                record("items", "{\"cid\":2,\"cvarchar\":\"b\",\"_sdc_deleted_at\":null}"),
                record("items", "{\"cid\":2,\"_sdc_deleted_at\":\"2019-10-13T14:06:31.838328+00:00\"}"),
                record("items", "{\"cid\":3,\"cvarchar\":\"c\",\"_sdc_deleted_at\":\"2019-10-13T14:06:31+00:00\"}")};
        Path kept = dir.resolve("kept.duckdb");
        for (var deletes : DuckDbTargetConfig.Deletes.values()) {
            Path file = deletes == DuckDbTargetConfig.Deletes.KEEP ? kept : db;
            try (DuckDbTarget target = DuckDbTarget.open(DuckDbTarget.file(file).deletes(deletes).build(), allocator);
                    SingerFeed feed = new SingerFeed(target, allocator, 1)) {
                feed.lines(lines).endBatches();
                target.flush();
            }
        }

        assertThat(Db.rows(db, "SELECT cid, cvarchar FROM items ORDER BY cid")).containsExactly(List.of(1L, "a"));
        assertThat(Db.rows(kept, "SELECT cid FROM items WHERE _sdc_deleted_at IS NOT NULL ORDER BY cid"))
                .containsExactly(List.of(2L), List.of(3L));
    }

    private void load(String... lines) throws Exception {
        try (DuckDbTarget target = openTarget(); SingerFeed feed = new SingerFeed(target, allocator, 1000)) {
            feed.lines(lines).endBatches();
            target.flush();
        }
    }

    private DuckDbTarget openTarget() {
        return DuckDbTarget.open(DuckDbTarget.file(db).build(), allocator);
    }

    private static String dateSchema(String format) {
        return """
                {"type":"SCHEMA","stream":"two","key_properties":["c_pk"],"schema":{"properties":{\
                "c_pk":{"type":"integer"},"c_date":{%s"type":["null","string"]}}}}""".formatted(format);
    }

    private static String dateRecord(long pk, String date) {
        return record("two", "{\"c_pk\":" + pk + ",\"c_date\":\"" + date + "\"}");
    }

    private static String amountSchema(String type) {
        return """
                {"type":"SCHEMA","stream":"amounts","key_properties":[],"schema":{"properties":{\
                "id":{"type":"integer"},"amount":{"type":"%s"}}}}""".formatted(type);
    }
}
