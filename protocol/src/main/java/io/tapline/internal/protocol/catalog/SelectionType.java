package io.tapline.internal.protocol.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How one catalog metadata entry is selected, read as Meltano reads it
 * ({@code ListSelectedExecutor.node_selection}): {@code inclusion} first, then {@code selected}, then
 * {@code selected-by-default} when {@code selected} is absent.
 */
public enum SelectionType {
    SELECTED,
    EXCLUDED,
    AUTOMATIC,
    UNSUPPORTED;

    /** Selected or automatic: the node's data is extracted. */
    public boolean isSelected() {
        return this == SELECTED || this == AUTOMATIC;
    }

    /**
     * A property's selection seen through its stream's, as Meltano's {@code SelectionType.__add__}:
     * excluded wins, then unsupported, then automatic; two selected stay selected.
     */
    public SelectionType plus(SelectionType other) {
        if (this == EXCLUDED || other == EXCLUDED) {
            return EXCLUDED;
        }
        if (this == UNSUPPORTED || other == UNSUPPORTED) {
            return UNSUPPORTED;
        }
        if (this == AUTOMATIC || other == AUTOMATIC) {
            return AUTOMATIC;
        }
        return SELECTED;
    }

    /** The selection of a metadata entry ({@code {"breadcrumb": [...], "metadata": {...}}}). */
    public static SelectionType of(JsonNode entry) {
        JsonNode metadata = entry.get("metadata");
        if (metadata == null || !metadata.isObject()) {
            return EXCLUDED;
        }
        String inclusion = metadata.path("inclusion").asText("");
        if (inclusion.equals("automatic")) {
            return AUTOMATIC;
        }
        if (inclusion.equals("unsupported")) {
            return UNSUPPORTED;
        }
        JsonNode selected = metadata.get("selected");
        if (selected != null && selected.isBoolean() && selected.booleanValue()) {
            return SELECTED;
        }
        if ((selected == null || selected.isNull()) && truthy(metadata.get("selected-by-default"))) {
            return SELECTED;
        }
        return EXCLUDED;
    }

    /** {@code "selected"}, {@code "excluded"}, {@code "automatic"} or {@code "unsupported"}, as Meltano prints them. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Python truthiness of a JSON value. */
    private static boolean truthy(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.doubleValue() != 0;
        }
        if (v.isTextual()) {
            return !v.textValue().isEmpty();
        }
        return v.size() > 0;
    }
}
