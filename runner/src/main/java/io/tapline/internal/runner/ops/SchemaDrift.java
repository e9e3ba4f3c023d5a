package io.tapline.internal.runner.ops;

import io.tapline.spi.Column;
import io.tapline.internal.state.history.ColumnStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a stream's columns changed: added, removed, or retyped columns, in words a user reads in a warning. */
final class SchemaDrift {
    private SchemaDrift() {}

    static List<String> changes(List<ColumnStats> before, List<Column> after) {
        Map<String, String> old = new LinkedHashMap<>();
        before.forEach(c -> old.put(c.name(), c.type()));
        List<String> out = new ArrayList<>();
        for (Column c : after) {
            String was = old.remove(c.name());
            if (was == null) {
                out.add("added column " + c.name() + " (" + c.type().name() + ")");
            } else if (!was.equals(c.type().name())) {
                out.add("column " + c.name() + " changed type " + was + " -> " + c.type().name());
            }
        }
        old.forEach((name, type) -> out.add("removed column " + name + " (" + type + ")"));
        return out;
    }
}
