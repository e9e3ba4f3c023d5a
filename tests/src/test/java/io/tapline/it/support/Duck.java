package io.tapline.it.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a DuckDB file the way a user would check it: plain SQL over JDBC. */
public final class Duck {
    private Duck() {}

    public static List<Map<String, Object>> query(Path db, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    public static long count(Path db, String table) {
        return ((Number) query(db, "SELECT count(*) AS n FROM " + table).get(0).get("n")).longValue();
    }

    /** column name -> DuckDB type name. */
    public static Map<String, String> columnTypes(Path db, String schema, String table) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> r : query(db, "SELECT column_name, data_type FROM information_schema.columns WHERE "
                + "table_schema = '" + schema + "' AND table_name = '" + table + "' ORDER BY ordinal_position")) {
            out.put((String) r.get("column_name"), (String) r.get("data_type"));
        }
        return out;
    }
}
