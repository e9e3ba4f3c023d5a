package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.ConfigException;
import io.tapline.spi.MetadataColumn;
import io.tapline.spi.RecordHandling;
import java.util.Locale;
import java.util.Set;

/**
 * The record settings Singer targets share, read from a loader's config as target-duckdb (pipelinewise) and the
 * Singer SDK spell them.
 *
 * <ul>
 *   <li>{@code add_metadata_columns} (target-duckdb) or {@code add_record_metadata} (SDK): every {@code _sdc_*} column;
 *   <li>{@code flattening_enabled} + {@code flattening_max_depth} (SDK) or {@code data_flattening_max_level}
 *       (target-duckdb): nested objects as {@code a__b} columns;
 *   <li>{@code validate_records} (SDK, true = {@code strict}) or {@code validation}
 *       ({@code off|warn|warn-skip|strict});
 *   <li>{@code process_activate_version_messages} (SDK): whether ACTIVATE_VERSION retires old rows.
 * </ul>
 */
final class RecordSettings {
    private RecordSettings() {}

    static RecordHandling read(String loader, JsonNode settings, RecordHandling defaults) {
        boolean metadata = settings.path("add_metadata_columns").asBoolean(false)
                || settings.path("add_record_metadata").asBoolean(false);
        int depth = 0;
        if (settings.has("data_flattening_max_level")) {
            depth = nonNegative(loader, "data_flattening_max_level", settings.get("data_flattening_max_level"));
        }
        if (settings.path("flattening_enabled").asBoolean(false)) {
            if (!settings.has("flattening_max_depth")) {
                throw new ConfigException(loader + ": flattening_enabled needs flattening_max_depth");
            }
            depth = nonNegative(loader, "flattening_max_depth", settings.get("flattening_max_depth"));
        }
        RecordHandling.Validation validation = defaults.validation();
        if (settings.has("validate_records")) {
            validation = settings.get("validate_records").asBoolean(false) ? RecordHandling.Validation.STRICT
                    : RecordHandling.Validation.OFF;
        }
        if (settings.has("validation")) {
            String v = settings.get("validation").asText("").trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                validation = RecordHandling.Validation.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(loader + ": validation must be off, warn or strict, not '"
                        + settings.get("validation").asText() + "'");
            }
        }
        boolean activate = settings.path("process_activate_version_messages").asBoolean(defaults.activateVersions());
        Set<MetadataColumn> columns = metadata ? RecordHandling.allMetadata() : defaults.metadata();
        return new RecordHandling(columns, depth, validation, activate);
    }

    private static int nonNegative(String loader, String name, JsonNode value) {
        if (!value.canConvertToInt() || value.asInt() < 0) {
            throw new ConfigException(loader + ": " + name + " must be a non-negative integer");
        }
        return value.asInt();
    }
}
