package io.tapline.internal.targets.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC against a DuckDB file: what a user of the warehouse sees. */
final class Db {
    private Db() {}

    static Connection connect(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:" + file);
    }

    /** Every row of {@code sql}, each as a list of column values ({@code getObject}). */
    static List<List<Object>> rows(Path file, String sql) throws SQLException {
        try (Connection c = connect(file)) {
            return rows(c, sql);
        }
    }

    static List<List<Object>> rows(Connection c, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    /** The single value of a one-row, one-column query. */
    static Object value(Path file, String sql) throws SQLException {
        try (Connection c = connect(file)) {
            return value(c, sql);
        }
    }

    static Object value(Connection c, String sql) throws SQLException {
        List<List<Object>> rows = rows(c, sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new AssertionError("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).get(0);
    }

    static boolean tableExists(Connection c, String table) throws SQLException {
        return ((Number) value(c, "SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table + "'"))
                .longValue() > 0;
    }
}
