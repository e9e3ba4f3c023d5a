package io.tapline.spi;


/**
 * The Singer metadata columns ({@code _sdc_*}) a target can ask for, as target-duckdb's {@code add_metadata_columns}
 * and the Singer SDK's {@code add_record_metadata} add them.
 */
public enum MetadataColumn {
    /** The RECORD's {@code time_extracted}. */
    EXTRACTED_AT("_sdc_extracted_at", ColumnType.TIMESTAMPTZ),
    /** When tapline read the RECORD. */
    RECEIVED_AT("_sdc_received_at", ColumnType.TIMESTAMPTZ),
    /** When the record's batch went to the target. */
    BATCHED_AT("_sdc_batched_at", ColumnType.TIMESTAMPTZ),
    /**
     * The record's own {@code _sdc_deleted_at} (set by log-based taps for deleted rows), or the time an
     * ACTIVATE_VERSION soft-deleted the row. VARCHAR, as target-duckdb and pipelinewise type it, unless the stream's
     * schema declares it: taps write it in shapes that are not always valid timestamps.
     */
    DELETED_AT("_sdc_deleted_at", ColumnType.VARCHAR),
    /** Increases with every record of a run: orders records that share a key. */
    SEQUENCE("_sdc_sequence", ColumnType.BIGINT),
    /** The RECORD's {@code version} (ACTIVATE_VERSION's table version). */
    TABLE_VERSION("_sdc_table_version", ColumnType.BIGINT);

    private final String columnName;
    private final ColumnType type;

    MetadataColumn(String columnName, ColumnType type) {
        this.columnName = columnName;
        this.type = type;
    }

    public String columnName() { return columnName; }

    public Column column() { return new Column(columnName, type); }
}
