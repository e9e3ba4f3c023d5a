package io.tapline.internal.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Meltano's state merge ({@code meltano.core.utils.merge(src, dest)}): objects merge key by key,
 * recursively; every other value, arrays included, is replaced by {@code src}'s. Keys already in
 * {@code dest} keep their place; new keys go at the end.
 */
public final class StateMerge {
    private StateMerge() {}

    /** Merges {@code src} into a copy of {@code dest} and returns it; neither argument is changed. */
    public static JsonNode merge(JsonNode src, JsonNode dest) {
        if (!(src instanceof ObjectNode) || !(dest instanceof ObjectNode)) {
            return src.deepCopy();
        }
        ObjectNode out = ((ObjectNode) dest).deepCopy();
        for (Map.Entry<String, JsonNode> e : src.properties()) {
            JsonNode existing = out.get(e.getKey());
            if (existing instanceof ObjectNode && e.getValue() instanceof ObjectNode) {
                out.set(e.getKey(), merge(e.getValue(), existing));
            } else {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }
}
