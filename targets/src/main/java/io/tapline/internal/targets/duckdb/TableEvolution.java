package io.tapline.internal.targets.duckdb;

import io.tapline.spi.StreamName;
import io.tapline.spi.Column;
import io.tapline.spi.StreamSchema;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a stream's table at its first SCHEMA and evolves it at later ones, as target-duckdb does: a new property
 * adds a nullable column; a property whose type changes is widened in place when no value can change
 * ({@code BIGINT} to {@code DOUBLE}), and otherwise the old column is kept, with its values, under a versioned name
 * ({@code <name>_<yyyyMMdd_HHmm>}, UTC) beside a new column of the new type. Columns are never dropped. Names match
 * case-insensitively, as DuckDB's do.
 *
 * <p>Only tables tapline created (marked by their table comment) have columns widened or versioned. A table made by
 * someone else only gets new columns; values of a changed type are inserted into its columns as they are, so an
 * impossible cast fails the load instead of tapline renaming a column it does not own.
 *
 * <p>Used on the writer thread only; runs in the writer's open transaction, so a rollback undoes it.
 */
final class TableEvolution {
    private static final Logger log = LoggerFactory.getLogger(TableEvolution.class);
    private static final DateTimeFormatter VERSION_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd_HHmm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final DuckDBConnection conn;
    private final String schema;
    private final Clock clock;
    static final String OWNER_COMMENT = "Created by tapline for a Singer stream; tapline adds and versions its columns";

    private final Map<StreamName, Map<String, String>> tableColumns = new HashMap<>(); // stream -> lower(name) -> type
    private final Map<StreamName, Boolean> createdByTapline = new HashMap<>();

    TableEvolution(DuckDBConnection conn, String schema, Clock clock) {
        this.conn = conn;
        this.schema = schema;
        this.clock = clock;
    }

    /** Makes the stream's table match {@code s}: creates it, adds columns, versions or widens changed ones. */
    void ensureTable(StreamSchema s) throws SQLException {
        String tableName = TableNames.forStream(s.stream());
        String table = Sql.qualified(schema, tableName);
        Map<String, String> existing = tableColumns.computeIfAbsent(s.stream(), k -> new LinkedHashMap<>());
        if (existing.isEmpty()) {
            existing.putAll(describe(tableName));
            createdByTapline.put(s.stream(), isOwned(tableName));
        }
        try (Statement st = conn.createStatement()) {
            if (existing.isEmpty()) {
                String ddl = s.columns().stream()
                        .map(c -> Sql.quote(c.name()) + " " + Sql.type(c.type()))
                        .collect(Collectors.joining(", "));
                st.execute("CREATE TABLE " + table + " (" + ddl + ")");
                st.execute("COMMENT ON TABLE " + table + " IS '" + OWNER_COMMENT + "'");
                s.columns().forEach(c -> existing.put(key(c.name()), Sql.type(c.type())));
                createdByTapline.put(s.stream(), true);
                log.info("Stream {}: created table {}", s.stream(), table);
                return;
            }
            boolean owned = createdByTapline.getOrDefault(s.stream(), false);
            for (Column c : s.columns()) {
                String wanted = Sql.type(c.type());
                String had = existing.get(key(c.name()));
                if (had == null) {
                    addColumn(st, s, table, c.name(), wanted, existing);
                } else if (owned && !had.equalsIgnoreCase(wanted)) {
                    if (widensInPlace(had, wanted)) {
                        st.execute("ALTER TABLE " + table + " ALTER COLUMN " + Sql.quote(c.name()) + " SET DATA TYPE "
                                + wanted);
                        existing.put(key(c.name()), wanted);
                        log.info("Stream {}: widened column {} of {} from {} to {}", s.stream(), c.name(), table, had,
                                wanted);
                    } else {
                        String versioned = versionedName(c.name(), existing);
                        st.execute("ALTER TABLE " + table + " RENAME COLUMN " + Sql.quote(c.name()) + " TO "
                                + Sql.quote(versioned));
                        existing.remove(key(c.name()));
                        existing.put(key(versioned), had);
                        log.info("Stream {}: column {} of {} changes type from {} to {}; its values stay in column {}",
                                s.stream(), c.name(), table, had, wanted, versioned);
                        addColumn(st, s, table, c.name(), wanted, existing);
                    }
                }
            }
        }
    }

    private void addColumn(Statement st, StreamSchema s, String table, String name, String type,
            Map<String, String> existing) throws SQLException {
        st.execute("ALTER TABLE " + table + " ADD COLUMN " + Sql.quote(name) + " " + type);
        existing.put(key(name), type);
        log.info("Stream {}: added column {} to {}", s.stream(), name, table);
    }

    /** True when every value of {@code from} converts exactly to {@code to}. */
    private static boolean widensInPlace(String from, String to) {
        return from.equalsIgnoreCase("BIGINT") && to.equalsIgnoreCase("DOUBLE");
    }

    private String versionedName(String name, Map<String, String> existing) {
        String base = name + "_" + VERSION_SUFFIX.format(clock.instant());
        String candidate = base;
        for (int i = 2; existing.containsKey(key(candidate)); i++) {
            candidate = base + "_" + i;
        }
        return candidate;
    }

    private Map<String, String> describe(String tableName) throws SQLException {
        Map<String, String> cols = new LinkedHashMap<>();
        try (var ps = conn.prepareStatement("SELECT column_name, data_type FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, tableName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.put(key(rs.getString(1)), rs.getString(2));
                }
            }
        }
        return cols;
    }

    private boolean isOwned(String tableName) throws SQLException {
        try (var ps = conn.prepareStatement("SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?")) {
            ps.setString(1, schema);
            ps.setString(2, tableName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && OWNER_COMMENT.equals(rs.getString(1));
            }
        }
    }

    private static String key(String column) {
        return column.toLowerCase(Locale.ROOT);
    }
}
