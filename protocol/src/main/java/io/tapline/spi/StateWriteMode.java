package io.tapline.spi;

/** How a new state meets the stored one (Meltano's payload flags). */
public enum StateWriteMode {
    /** Replaces the stored state, partial part included (Meltano's STATE). */
    COMPLETE,
    /** Merged onto the stored partial state (Meltano's INCOMPLETE_STATE). */
    PARTIAL
}
