package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.TargetFactory;
import io.tapline.spi.ConfigException;
import io.tapline.spi.RecordHandling;
import io.tapline.internal.targets.duckdb.DuckDbTarget;
import io.tapline.internal.targets.duckdb.DuckDbTargetConfig;
import io.tapline.internal.targets.jsonl.JsonlTarget;
import io.tapline.internal.targets.jsonl.JsonlTargetConfig;
import io.tapline.internal.targets.parquet.ParquetTarget;
import io.tapline.internal.targets.parquet.ParquetTargetConfig;
import java.nio.file.Path;

/**
 * tapline's own targets, configured with the settings the Python targets they replace take
 * (target-duckdb, target-parquet, target-jsonl). Used for meltano.yml loaders and by
 * {@code tapline target}.
 */
public final class Loaders {
    private Loaders() {}

    /**
     * The target {@code name} ({@code target-duckdb} or {@code duckdb}, ...) with {@code settings};
     * relative paths resolve against {@code base}.
     */
    public static TargetFactory forLoader(String name, JsonNode settings, Path base) {
        return switch (name.startsWith("target-") ? name : "target-" + name) {
            case "target-duckdb" -> duckDb(settings, base);
            case "target-parquet" -> parquet(settings, base);
            case "target-jsonl" -> jsonl(settings, base);
            default -> throw new ConfigException("'" + name + "' is not one of tapline's own targets "
                    + "(target-duckdb, target-parquet, target-jsonl)");
        };
    }

    private static TargetFactory duckDb(JsonNode settings, Path base) {
        String file = settings.path("filepath").asText(settings.path("path").asText("warehouse.duckdb"));
        DuckDbTargetConfig.Builder b = DuckDbTarget.file(base.resolve(file));
        String schema = settings.path("default_target_schema").asText(settings.path("schema").asText(""));
        if (!schema.isBlank()) {
            b.schema(schema);
        }
        if (settings.path("hard_delete").asBoolean(false)) { // target-duckdb's and the SDK's setting
            b.deletes(DuckDbTargetConfig.Deletes.HARD_DELETE);
        }
        if (settings.has("load_method")) {
            b.loadMethod(DuckDbTargetConfig.LoadMethod.parse(settings.get("load_method").asText("")));
        }
        b.records(RecordSettings.read("target-duckdb", settings, DuckDbTargetConfig.DEFAULT_RECORDS));
        DuckDbTargetConfig target = b.build();
        return allocator -> DuckDbTarget.open(target, allocator);
    }

    /**
     * target-parquet's settings (hotglue / Automattic variants): destination_path, compression_method, partition_by;
     * tapline's partition_by_load_date; and the shared record settings ({@link RecordSettings}).
     */
    private static TargetFactory parquet(JsonNode settings, Path base) {
        ParquetTargetConfig.Builder b = ParquetTarget.at(base.resolve(
                settings.path("destination_path").asText("output")));
        String compression = settings.path("compression_method").asText("");
        if (!compression.isBlank()) {
            b.compression(ParquetTargetConfig.Compression.parse(compression));
        }
        JsonNode partition = settings.has("partition_by") ? settings.get("partition_by") : settings.path("partition_cols");
        if (partition.isArray() && partition.size() > 1) {
            throw new ConfigException("target-parquet: partitioning by more than one column is not supported yet");
        }
        String column = partition.isArray() ? partition.path(0).asText("") : partition.asText("");
        if (!column.isBlank()) {
            b.partitionBy(column);
        }
        b.partitionByLoadDate(settings.path("partition_by_load_date").asBoolean(false));
        b.records(RecordSettings.read("target-parquet", settings, RecordHandling.PLAIN));
        ParquetTargetConfig target = b.build();
        return allocator -> ParquetTarget.open(target, allocator);
    }

    /** target-jsonl's destination_path; one file per stream named like the DuckDB tables. */
    private static TargetFactory jsonl(JsonNode settings, Path base) {
        JsonlTargetConfig target = JsonlTarget.at(base.resolve(
                settings.path("destination_path").asText("output"))).build();
        return allocator -> JsonlTarget.open(target);
    }
}
