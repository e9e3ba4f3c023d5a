package io.tapline.internal.protocol.airbyte;

/** How a source reads a stream: everything every time, or what changed since the saved state. */
public enum SyncMode {
    FULL_REFRESH("full_refresh"),
    INCREMENTAL("incremental");

    private final String wire;

    SyncMode(String wire) {
        this.wire = wire;
    }

    /** The protocol's spelling. */
    public String wire() { return wire; }
}
