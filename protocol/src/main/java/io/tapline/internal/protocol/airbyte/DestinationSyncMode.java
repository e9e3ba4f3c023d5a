package io.tapline.internal.protocol.airbyte;

/** How a target applies a stream's records: replace the table, add rows, or upsert by primary key. */
public enum DestinationSyncMode {
    OVERWRITE("overwrite"),
    APPEND("append"),
    APPEND_DEDUP("append_dedup");

    private final String wire;

    DestinationSyncMode(String wire) {
        this.wire = wire;
    }

    /** The protocol's spelling. */
    public String wire() { return wire; }
}
